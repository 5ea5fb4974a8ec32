import type { Random } from './random.js';

// The most common surnames of Sichuan, roughly by frequency.
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强红梅玉兰德明春梅海燕小红晓东文斌永红建华丽娟德华成龙国平家俊子涵雨轩浩然欣怡思远梓萱一鸣'.split('');

export function personName(rnd: Random): string {
  const surname = rnd.weighted(SURNAMES, (s) => 1 / Math.sqrt(SURNAMES.indexOf(s) + 1));
  const given = rnd.chance(0.35) ? rnd.pick(GIVEN) : rnd.pick(GIVEN) + rnd.pick(GIVEN);
  return surname + given;
}

const MOBILE_PREFIXES = ['133', '135', '136', '138', '139', '150', '151', '152', '158', '159', '177', '180', '181', '182', '183', '187', '188', '189', '199'];

export function mobile(rnd: Random): string {
  return rnd.pick(MOBILE_PREFIXES) + String(rnd.int(0, 99_999_999)).padStart(8, '0');
}

/** An 18-digit resident ID (GB 11643) with a valid check digit; region 511602 is Guang'an's. */
export function residentId(rnd: Random): string {
  const year = rnd.int(1950, 2004);
  const month = String(rnd.int(1, 12)).padStart(2, '0');
  const day = String(rnd.int(1, 28)).padStart(2, '0');
  const body = `511602${year}${month}${day}${String(rnd.int(0, 999)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

const PLACE_FIRST = '龙凤金银石桥溪河松柏桃李杏梨花竹兰清新双三五马牛白黄青红安永兴福寿和平太庆东西南北中上下大小长高官协观奎';
const PLACE_SECOND = '山湾坝坪岭沟桥塘垭岗庙寺湖田林院园堰滩嘴丘坡';

/** A village-style stem such as 龙桥 or 白鹤湾, unique within `taken`. */
export function placeStem(rnd: Random, taken: Set<string>): string {
  for (;;) {
    const stem = rnd.chance(0.25)
      ? rnd.pick(PLACE_FIRST.split('')) + rnd.pick(PLACE_FIRST.split('')) + rnd.pick(PLACE_SECOND.split(''))
      : rnd.pick(PLACE_FIRST.split('')) + rnd.pick(PLACE_SECOND.split(''));
    if (!taken.has(stem)) {
      taken.add(stem);
      return stem;
    }
  }
}

const ROAD_STEMS = '兴业 迎宾 建设 人民 文化 学府 滨江 科创 工业 长安 和平 幸福 光明 振兴 协兴 奎阁 金山 凤凰 龙腾 青年 育才 健康 商贸 物流 园区 花园 翠竹 银杏 桂花 朝阳'.split(' ');

const ORDINALS = '一二三四五六七八九十'.split('');

/** A road name unique within `taken`: 人民路, then 人民东路, then 人民二路, then 人民128路 when a province runs out. */
export function roadName(rnd: Random, taken: Set<string>, suffix: '路' | '街' | '大道'): string {
  for (let attempt = 0; ; attempt++) {
    const stem = rnd.pick(ROAD_STEMS);
    const qualifier = attempt <= 20 ? '' : attempt <= 40 ? rnd.pick(['东', '西', '南', '北', '中']) : attempt <= 60 ? rnd.pick(ORDINALS) : String(taken.size);
    const name = stem + qualifier + suffix;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}
