// The browser harness of the workbench tests: the system's Chromium driven by playwright-core
// (no browser is downloaded), JavaScript off in the agents' browser, a full-page screenshot and
// an axe-core audit of every page visited.
//
// Environment: NANSEN_BASE_URL (the server, e.g. http://127.0.0.1:8080), NANSEN_E2E_BACKEND
// (sqlite or postgres: the folder of the screenshots), CHROMIUM (default /usr/bin/chromium).

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const BASE_URL = (process.env.NANSEN_BASE_URL ?? '').replace(/\/$/, '');
if (!BASE_URL) throw new Error('NANSEN_BASE_URL is not set: run the suite with scripts/e2e');
export const BACKEND = process.env.NANSEN_E2E_BACKEND ?? 'local';
export const PASSWORD = 'nansen-demo';
export const ARTIFACTS = fileURLToPath(new URL(`../artifacts/${BACKEND}/`, import.meta.url));

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The narrowest width a page must work at without losing content or function (WCAG 1.4.10). */
const NARROW = { width: 320, height: 900 };

/** Today's date as the server sees it (UTC), YYYY-MM-DD. */
export function today() {
  return new Date().toISOString().slice(0, 10);
}

export class Harness {
  /**
   * `prefix` (optional) starts the names of this file's screenshots, so that test files, each
   * with its own harness, neither overwrite nor delete each other's: `documents-` gives
   * documents-NN-name.png. Without it, NN-name.png as before.
   */
  static async start({ prefix = '' } = {}) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const mine = new RegExp(`^${prefix.replace(/[^\w-]/g, '')}\\d\\d-`);
    for (const f of readdirSync(ARTIFACTS)) {
      if (mine.test(f)) rmSync(ARTIFACTS + f);
    }
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    // axe-core is JavaScript: it runs in a second context, on a copy of the page the agents'
    // browser (JavaScript off) received, with the same stylesheet from the server.
    const audit = await browser.newContext({ baseURL: BASE_URL });
    const auditPage = await audit.newPage();
    const h = new Harness(browser, auditPage);
    h.prefix = prefix.replace(/[^\w-]/g, '');
    await auditPage.route('**/*', (route) => h.#serveCopy(route));
    return h;
  }

  constructor(browser, auditPage) {
    this.browser = browser;
    this.auditPage = auditPage;
    this.count = 0;
    this.copy = null;
    this.prefix = '';
  }

  /** A browser for one agent: its own cookies, JavaScript disabled. */
  async agentBrowser() {
    const context = await this.browser.newContext({
      baseURL: BASE_URL,
      javaScriptEnabled: false,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    return { context, page };
  }

  async #serveCopy(route) {
    const req = route.request();
    // (A request's URL has no fragment: a page at …?done=x#section is requested as …?done=x.)
    if (this.copy && req.isNavigationRequest() && req.url() === this.copy.url.split('#')[0]) {
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: this.copy.html });
    } else {
      await route.continue();
    }
  }

  /**
   * The page as it is now: a full-page screenshot NN-name.png, then axe-core on it at the
   * page's width and, when wider, again at 320 CSS px (a phone, or a desktop zoomed to 400 %:
   * WCAG 1.4.10). Fails on any violation, whatever its impact (they are written next to the
   * image as NN-name.axe.json).
   */
  async check(page, name) {
    this.count += 1;
    const base = `${this.prefix}${String(this.count).padStart(2, '0')}-${name}`;
    await page.screenshot({ path: `${ARTIFACTS}${base}.png`, fullPage: true });
    this.copy = { url: page.url(), html: await page.content() };
    const viewport = page.viewportSize();
    const widths = [viewport];
    if (viewport && viewport.width > NARROW.width) widths.push(NARROW);
    const violations = [];
    try {
      for (const size of widths) {
        if (size) await this.auditPage.setViewportSize(size);
        await this.auditPage.goto(this.copy.url, { waitUntil: 'load' });
        assert.equal(await this.auditPage.title(), await page.title(), 'axe-core audits the copy of the page');
        const results = await new AxeBuilder({ page: this.auditPage })
          .options({ resultTypes: ['violations'] })
          .analyze();
        for (const v of results.violations) {
          violations.push({
            width: size?.width,
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => n.target.join(' ')),
          });
        }
      }
    } finally {
      this.copy = null;
    }
    if (violations.length > 0) {
      writeFileSync(`${ARTIFACTS}${base}.axe.json`, JSON.stringify(violations, null, 2) + '\n');
    }
    assert.deepEqual(violations, [], `axe-core on ${base} (${page.url()})`);
  }

  async close() {
    await this.browser.close();
  }
}

/**
 * Clicks a button that submits a form (or follows a link) and waits for the page it leads to;
 * returns the final response (after a 303, the page redirected to).
 */
export async function submit(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  assert.ok(response, 'the click loads a page');
  return response;
}

/** Opens a page; returns its response. */
export async function open(page, path) {
  const response = await page.goto(path);
  assert.ok(response, `GET ${path} answers`);
  return response;
}

export async function signIn(page, login, password = PASSWORD) {
  await open(page, '/login');
  await page.fill('#login', login);
  await page.fill('#password', password);
  const response = await submit(page, page.locator('main button[type=submit]'));
  assert.equal(response.status(), 200, `${login} signs in`);
  assert.doesNotMatch(new URL(page.url()).pathname, /^\/login/, `${login} is signed in`);
  return response;
}

export async function signOut(page) {
  const response = await submit(page, page.locator('header form[action="/logout"] button'));
  assert.equal(new URL(page.url()).pathname, '/login', 'sign-out leads to the sign-in page');
  return response;
}

/** The text of an element, whitespace collapsed. */
export async function text(page, selector) {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The steps of a story share their state: after a failed step, the following ones are skipped. */
export function story() {
  let failed = false;
  return (name, fn) =>
    it(name, async (t) => {
      if (failed) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        await fn(t);
      } catch (e) {
        failed = true;
        throw e;
      }
    });
}

