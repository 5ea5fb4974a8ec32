import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw } from 'vue-router';
import { safeNextPath } from './auth/next-path';
import type { Action } from './http/api-types';
import { useSessionStore } from './stores/session';
import { useUiStore } from './stores/ui';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (only the login page). */
    public?: boolean;
    /** The permission the route needs (docs/access.md); without it the user is sent home. */
    action?: Action;
    /** Full-screen page without the app header. */
    bare?: boolean;
    /** i18n key of the page title, for the browser tab. */
    titleKey?: string;
  }
}

export const router = createRouter({
  // History URLs: the server answers unknown non-API paths with index.html.
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    {
      path: '/',
      name: 'command-map',
      component: () => import('./map/CommandMap.vue'),
      meta: { action: 'grids:read', titleKey: 'nav.map' },
    },
    {
      path: '/login',
      name: 'login',
      component: () => import('./auth/LoginView.vue'),
      meta: { public: true, bare: true, titleKey: 'login.title' },
    },
    {
      path: '/password',
      name: 'password',
      component: () => import('./auth/PasswordView.vue'),
      meta: { titleKey: 'password.title' },
    },
    {
      path: '/account',
      name: 'account',
      component: () => import('./account/AccountView.vue'),
      meta: { titleKey: 'nav.account' },
    },
    {
      path: '/admin/users',
      name: 'users',
      component: () => import('./admin/UsersView.vue'),
      meta: { action: 'users:manage', titleKey: 'nav.users' },
    },
    {
      path: '/audit',
      name: 'audit',
      component: () => import('./audit/AuditView.vue'),
      meta: { action: 'audit:read', titleKey: 'nav.audit' },
    },
    {
      path: '/settings/deadlines',
      name: 'deadlines',
      component: () => import('./incidents/DeadlinesView.vue'),
      // Everyone who sees incidents may read the deadlines; the page offers saving to those with workflow:configure.
      meta: { action: 'incidents:read', titleKey: 'nav.deadlines' },
    },
    {
      path: '/report',
      name: 'report',
      component: () => import('./report/ReportView.vue'),
      // Phone-sized, with its own compact bar instead of the command-center header.
      meta: { action: 'incidents:report', bare: true, titleKey: 'report.title' },
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

/**
 * Decides where a navigation may go. Pure apart from reading the session store:
 * - no session: only the login page, everything else goes there with `?next=`;
 * - a password change pending: only the password page;
 * - a route whose permission the user lacks: the user's home (an auditor's is /audit).
 */
export function accessRedirect(to: RouteLocationNormalized): RouteLocationRaw | true {
  const session = useSessionStore();
  if (session.status !== 'signed-in') {
    if (to.meta.public) return true;
    return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  }
  if (to.name === 'login') return safeNextPath(to.query.next, session.homePath);
  if (session.mustChangePassword && to.name !== 'password') {
    return { name: 'password', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  }
  if (to.meta.action && !session.can(to.meta.action)) return session.homePath;
  return true;
}

router.beforeEach(async (to) => {
  await useSessionStore().ensureLoaded();
  return accessRedirect(to);
});

router.afterEach((to) => {
  useUiStore().setPageTitle(to.meta.titleKey ?? null);
});
