import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/bookshelf-api/src/create-api-app.js';
import { loadConfiguration } from 'nestjs-protean';
import { resolveLogSettings } from 'nestjs-protean/observability';
import { ObservatoryAuth } from 'nestjs-protean/internal/operations/observability/observatory/observatory-auth.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { ROOT } from '../support/processes.js';

/** Issue 8, acceptance 2: with `observatory.token` set, no token, no Observatory. */
describe('Observatory access with observatory.token', () => {
  const TOKEN = 'observatory-test-token';
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  const SESSION_TTL = 900;
  const config = loadConfiguration({
    embedded: true,
    overrides: { observatory: { token: TOKEN, session_ttl_seconds: SESSION_TTL } },
  });
  const logger = new CaptureLogger();

  beforeAll(async () => {
    app = await createApiApp(config, {
      logger,
      logging: { ...resolveLogSettings(), level: 'silent' },
    });
    await app.init();
    http = request(app.getHttpServer());
  });

  afterAll(() => app.close());

  const dataRoutes = [
    '/observatory/api/overview',
    '/observatory/api/dead-letters',
    '/observatory/api/trail?correlationId=abc',
    '/observatory/api/live',
  ];

  it('answers 401 to the page and every API route without the token', async () => {
    const page = await http.get('/observatory').expect(401);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('needs its token');
    for (const route of dataRoutes) await http.get(route).expect(401);
    await http
      .post('/observatory/api/dead-letters/replay')
      .send({ broker: 'default', stream: 'bookshelf::book', id: '1-0' })
      .expect(401);
    await http
      .post('/observatory/api/dead-letters/purge')
      .send({ broker: 'default', stream: 'bookshelf::book' })
      .expect(401);
  });

  it('answers 401 to a wrong token, however it is presented', async () => {
    await http.get('/observatory/api/overview').auth('wrong', { type: 'bearer' }).expect(401);
    await http.get('/observatory?token=wrong').expect(401);
    await http.get('/observatory').set('cookie', `protean_observatory=${TOKEN}`).expect(401);
  });

  it('answers 200 with the token as a bearer header', async () => {
    const page = await http.get('/observatory').auth(TOKEN, { type: 'bearer' }).expect(200);
    expect(page.text).toContain('<title>Protean Observatory</title>');
    const overview = await http
      .get('/observatory/api/overview')
      .auth(TOKEN, { type: 'bearer' })
      .expect(200);
    expect(overview.body).toMatchObject({ tokenRequired: true, database: { up: true } });
    await http.get('/observatory/api/dead-letters').auth(TOKEN, { type: 'bearer' }).expect(200);
  });

  it('trades ?token= for a session cookie and a clean address, then serves the page', async () => {
    const signIn = await http.get(`/observatory?token=${TOKEN}`).expect(303);
    expect(signIn.headers.location).toBe('/observatory');
    const cookie = String(signIn.headers['set-cookie']);
    expect(cookie).toMatch(
      /^protean_observatory=\d+\.[\w-]+; Path=\/observatory; Max-Age=900; HttpOnly; SameSite=Strict/,
    );
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0];
    await http.get('/observatory').set('cookie', session).expect(200);
    await http.get('/observatory/api/overview').set('cookie', session).expect(200);
  });

  it('refuses a session cookie once observatory.session_ttl_seconds have passed', async () => {
    const auth = new ObservatoryAuth(config);
    const expired = auth.issueSession(Date.now() - (SESSION_TTL + 1) * 1000);
    const recent = auth.issueSession(Date.now() - (SESSION_TTL - 60) * 1000);
    await http
      .get('/observatory/api/overview')
      .set('cookie', `protean_observatory=${recent}`)
      .expect(200);
    await http
      .get('/observatory/api/overview')
      .set('cookie', `protean_observatory=${expired}`)
      .expect(401);
    await http.get('/observatory').set('cookie', `protean_observatory=${expired}`).expect(401);
  });

  it('refuses a session cookie issued for a previous token', async () => {
    const previous = loadConfiguration({
      embedded: true,
      overrides: { observatory: { token: 'the-previous-token' } },
    });
    const session = new ObservatoryAuth(previous).issueSession();
    await http
      .get('/observatory/api/overview')
      .set('cookie', `protean_observatory=${session}`)
      .expect(401);
  });

  it('answers 404 to asset names inherited by every object, logging nothing and no path', async () => {
    const names = [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      '__defineGetter__',
    ];
    for (const name of names) {
      const response = await http.get(`/observatory/assets/${name}`);
      expect({ name, status: response.status }).toEqual({ name, status: 404 });
      expect(response.text).not.toContain(ROOT);
    }
    expect(logger.errors()).toEqual([]);
    expect(logger.lines.filter((line) => line.message.includes(ROOT))).toEqual([]);
  });

  it('serves the page script and stylesheet without the token (code, no data)', async () => {
    const script = await http.get('/observatory/assets/observatory.js').expect(200);
    expect(script.type).toBe('text/javascript');
    await http.get('/observatory/assets/observatory.css').expect(200);
    await http.get('/observatory/assets/login.html').expect(404);
    await http.get('/observatory/assets/..%2Fobservatory-auth.js').expect(404);
  });
});

describe('Observatory without observatory.token', () => {
  it('is open: the page and its API answer 200', async () => {
    const app = await createApiApp(loadConfiguration({ embedded: true }), { logger: false });
    await app.init();
    try {
      const http = request(app.getHttpServer());
      await http.get('/observatory').expect(200);
      const overview = await http.get('/observatory/api/overview').expect(200);
      expect(overview.body.tokenRequired).toBe(false);
    } finally {
      await app.close();
    }
  });
});
