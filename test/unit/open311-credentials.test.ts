import { describe, expect, it } from 'vitest';
import { withoutApiKey } from '../../server/open311/credentials.js';

// The request log writes each URL; an Open311 client's api_key in a query string is a
// personal access token and must not reach it.

describe('withoutApiKey', () => {
  it.each([
    ['/open311/v2/requests.json?api_key=pm_secret', '/open311/v2/requests.json?api_key=[redacted]'],
    ['/open311/v2/requests.json?status=open&API_KEY=pm_secret&service_code=dispute', '/open311/v2/requests.json?status=open&API_KEY=[redacted]&service_code=dispute'],
    ['/open311/v2/requests.json?api_key=a&api_key=b', '/open311/v2/requests.json?api_key=[redacted]&api_key=[redacted]'],
    ['/api/incidents?limit=5', '/api/incidents?limit=5'],
    ['/open311/v2/requests.json?my_api_key=x', '/open311/v2/requests.json?my_api_key=x'],
  ])('when the URL is %s, then the log sees %s', (url, logged) => {
    expect(withoutApiKey(url)).toBe(logged);
  });
});
