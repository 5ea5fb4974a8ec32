import type { Composer } from 'vue-i18n';
import { ApiError, ProblemType } from '../http/api-error';

type Translate = Composer['t'];

/**
 * The sentence a view shows for a failed request. Known situations get our own
 * translated text; otherwise the server's `detail` (written for people) follows a
 * translated lead-in, so the user always learns what happened in their language.
 */
export function problemText(t: Translate, error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof TypeError ? t('errors.network') : t('errors.unexpected', { detail: String(error) });
  }
  const detail = error.detail ?? '';
  if (error.status === 403 && error.type === ProblemType.csrf) return t('errors.csrf');
  if (error.status === 403) return t('errors.forbidden');
  if (error.status === 404) return t('errors.notFound');
  if (error.status === 429) {
    const seconds = error.retryAfterSeconds;
    if (!seconds) return t('errors.rateLimited');
    return seconds > 90
      ? t('errors.rateLimitedForMinutes', { minutes: Math.ceil(seconds / 60) })
      : t('errors.rateLimitedFor', { seconds });
  }
  if (error.status >= 500) return t('errors.server', { status: error.status });
  if (error.status === 400) return t('errors.invalid', { detail });
  if (error.status === 409) return t('errors.conflict', { detail });
  return t('errors.other', { status: error.status, detail });
}
