import { CATEGORIES, SEVERITIES } from '../incidents/enums.js';

/**
 * The Open311 services: one per incident category, its code the category itself. Names
 * are what the dashboard shows (client/i18n zh-CN); descriptions carry the English for
 * clients that do not read Chinese.
 */

export type ServiceCode = (typeof CATEGORIES)[number];
type Severity = (typeof SEVERITIES)[number];

interface Service {
  name: string;
  description: string;
  /** Comma-separated, as GeoReport v2 writes them. */
  keywords: string;
}

const SERVICES: Readonly<Record<ServiceCode, Service>> = {
  dispute: {
    name: '矛盾纠纷',
    description: 'Disputes: neighbours, families, property, wages, land (矛盾纠纷调解)',
    keywords: '纠纷,调解,邻里,dispute,mediation',
  },
  safety_hazard: {
    name: '安全隐患',
    description: 'Safety hazards: fire, gas, unsafe buildings, traffic, flooding',
    keywords: '隐患,消防,燃气,危房,hazard,fire,gas',
  },
  public_order: {
    name: '治安问题',
    description: 'Public order: disturbances, gatherings, suspicious activity (not emergencies: call 110)',
    keywords: '治安,扰民,public order,disturbance',
  },
  city_management: {
    name: '城市管理',
    description: 'City management: streets, sanitation, illegal construction, street vending, parking',
    keywords: '城管,环境卫生,违建,占道,city,sanitation',
  },
  livelihood: {
    name: '民生服务',
    description: 'Livelihood: water, power, heating, social assistance, elderly care',
    keywords: '民生,供水,供电,救助,livelihood,welfare',
  },
  other: {
    name: '其他',
    description: 'Anything else for the social-governance center',
    keywords: '其他,other',
  },
};

/** The group every service is listed under: the social-governance centers (综治中心) handle them all. */
const GROUP = '社会治理';

/** What a report is filed with when its client does not send attribute[severity]. */
export const DEFAULT_SEVERITY: Severity = 'medium';

const SEVERITY_NAMES: Readonly<Record<Severity, string>> = {
  low: '一般 (low)',
  medium: '较重 (medium)',
  high: '严重 (high)',
  critical: '特别严重 (critical)',
};

export const serviceName = (code: ServiceCode): string => SERVICES[code].name;

export const isServiceCode = (code: string): code is ServiceCode => (CATEGORIES as readonly string[]).includes(code);

/** GET services: the service list. `metadata: true` because each takes the optional severity attribute. */
export function serviceList() {
  return CATEGORIES.map((code) => ({
    service_code: code,
    service_name: SERVICES[code].name,
    description: SERVICES[code].description,
    metadata: true,
    type: 'realtime',
    keywords: SERVICES[code].keywords,
    group: GROUP,
  }));
}

/** GET services/{code}: the service definition, with its one attribute (sent as `attribute[severity]`). */
export function serviceDefinition(code: ServiceCode) {
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'severity',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: `How serious it is; ${DEFAULT_SEVERITY} when not given`,
        order: 1,
        description: '严重程度 (severity)',
        values: SEVERITIES.map((key) => ({ key, name: SEVERITY_NAMES[key] })),
      },
    ],
  };
}
