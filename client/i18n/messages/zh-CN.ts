// Source of truth for message keys: en.ts is type-checked against this shape.
const zhCN = {
  app: {
    name: '平安一张图',
    subtitle: '社会治理指挥调度',
    documentTitle: '平安一张图 · 指挥一张图',
  },
  locale: {
    label: '界面语言',
    'zh-CN': '中文',
    en: 'EN',
  },
  database: {
    label: '数据库',
    embedded: '内置数据库',
    external: '外部数据库',
    unknown: '数据库未连接',
    versions: 'PostgreSQL {postgres} · PostGIS {postgis}',
  },
  map: {
    loading: '地图加载中…',
    loadFailed: '地图数据加载失败：{error}',
    retry: '重试',
    regionLabel: '辖区地图',
    zoom: '缩放',
    zoomIn: '放大',
    zoomOut: '缩小',
  },
  legend: {
    title: '图例',
    grids: '一级网格（镇街）',
    gridsEmpty: '暂无网格数据',
    basemap: '底图',
    builtUp: '建成区',
    water: '水域',
    expressway: '高速公路',
    mainRoad: '主干道',
    minorRoad: '一般道路',
    collapse: '收起图例',
    expand: '展开图例',
  },
};

export default zhCN;
export type MessageSchema = typeof zhCN;
