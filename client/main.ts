import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installSessionBridge } from './auth/install';
import { i18n } from './i18n';
import { registerServiceWorker } from './offline/register-service-worker';
import { router } from './router';
import { reloadOnStaleBuild } from './shell/stale-build';
import './styles/base.css';

const app = createApp(App).use(createPinia()).use(i18n);
// Before the router: its first navigation already reads the session through the bridge.
installSessionBridge(router);
reloadOnStaleBuild(router);
app.use(router).mount('#app');
registerServiceWorker();
