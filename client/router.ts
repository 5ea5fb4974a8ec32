import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  // History URLs: the server answers unknown non-API paths with index.html.
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    // The map is the home screen for every role; other views will hang off it.
    { path: '/', name: 'command-map', component: () => import('./map/CommandMap.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
