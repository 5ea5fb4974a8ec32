/**
 * "Chrome 126 · Windows" from a User-Agent string: enough for a user to recognise
 * their own sessions. Order matters: Edge and Opera also say Chrome, Chrome also
 * says Safari.
 */
const BROWSERS: Array<[name: string, pattern: RegExp]> = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /OPR\/(\d+)/],
  ['360', /QIHU 360(?:SE|EE)|360SE|360EE/],
  ['QQ Browser', /QQBrowser\/(\d+)/],
  ['WeChat', /MicroMessenger\/(\d+)/],
  ['Firefox', /Firefox\/(\d+)/],
  ['Chrome', /(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari/],
];

const SYSTEMS: Array<[name: string, pattern: RegExp]> = [
  ['Windows', /Windows/],
  ['Android', /Android/],
  ['iOS', /iPhone|iPad|iPod/],
  ['macOS', /Mac OS X/],
  ['UOS', /UOS|uos/],
  ['Kylin', /Kylin/i],
  ['Linux', /Linux|X11/],
];

export function describeUserAgent(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const browser = BROWSERS.find(([, re]) => re.test(userAgent));
  const version = browser ? browser[1].exec(userAgent)?.[1] : undefined;
  const system = SYSTEMS.find(([, re]) => re.test(userAgent))?.[0];
  const parts = [browser ? (version ? `${browser[0]} ${version}` : browser[0]) : null, system ?? null].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : userAgent.slice(0, 60);
}
