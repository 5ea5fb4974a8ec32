import type { MessageSchema } from './zh-CN';

const en: MessageSchema = {
  app: {
    name: 'Pingan Map',
    subtitle: 'Social-governance command',
    documentTitle: 'Pingan Map · Command map',
  },
  locale: {
    label: 'Language',
    'zh-CN': '中文',
    en: 'EN',
  },
  database: {
    label: 'Database',
    embedded: 'Embedded DB',
    external: 'External DB',
    unknown: 'Database offline',
    versions: 'PostgreSQL {postgres} · PostGIS {postgis}',
  },
  map: {
    loading: 'Loading map…',
    loadFailed: 'Map data failed to load: {error}',
    retry: 'Retry',
    regionLabel: 'Jurisdiction map',
    zoom: 'Zoom',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
  },
  legend: {
    title: 'Legend',
    grids: 'Level-1 grids (towns / streets)',
    gridsEmpty: 'No grid data',
    basemap: 'Base map',
    builtUp: 'Built-up area',
    water: 'Water',
    expressway: 'Expressway',
    mainRoad: 'Main road',
    minorRoad: 'Minor road',
    collapse: 'Hide legend',
    expand: 'Show legend',
  },
};

export default en;
