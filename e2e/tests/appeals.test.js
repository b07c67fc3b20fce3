// A legal consultant's day in a browser with JavaScript off, on a server started with `--demo`:
// the appeals before the court and the hearings' calendar, one appeal with its deadlines, a
// hearing refused for short notice (next to the field) then recorded, the defence written,
// read by a second consultant and sent, a ruling on an appeal already heard, and an officer
// refused the list. Every page is screenshotted (appeals-NN-name.png) and audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text, today } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'appeals-' });
});
after(async () => {
  await h?.close();
});

const path = (page) => new URL(page.url()).pathname;
const done = (page) => new URL(page.url()).searchParams.get('done');
const plus = (days) => {
  const d = new Date(`${today()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The appeals of the list, as (href, hearing cell). */
async function appeals(page) {
  await open(page, '/appeals');
  const rows = page.locator('#appeals tbody tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i += 1) {
    const row = rows.nth(i);
    out.push({
      href: await row.locator('a').getAttribute('href'),
      due: (await row.locator('td').nth(0).textContent()).trim(),
      hearing: (await row.locator('td').nth(3).textContent()).trim(),
    });
  }
  return out;
}

describe("a legal consultant's day", () => {
  const step = story();
  let page;
  let context;
  let defended; // the appeal whose defence is written today

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('the consultant lands on the appeals before the court, soonest deadline first', async () => {
    await signIn(page, 'jur.fontana');
    assert.equal(path(page), '/appeals');
    const dues = await page.locator('#appeals tbody tr td:first-child').allTextContents();
    assert.ok(dues.length > 0, 'the demo has appeals before the court');
    const dates = dues.map((d) => d.trim().slice(0, 10)).filter((d) => /^\d{4}-/.test(d));
    assert.deepEqual(dates, [...dates].sort(), 'soonest first');
    await h.check(page, 'list');
  });

  step('a hearing with too short a notice is refused next to the field, then recorded', async () => {
    for (const a of await appeals(page)) {
      if (!/^\d{4}-/.test(a.due)) continue; // an appeal with the court's deadline
      await open(page, a.href);
      const has = async (sel) => (await page.locator(sel).count()) > 0;
      // Open to a hearing and to a first defence (none written yet).
      if ((await has('#step-hearing')) && (await has('#step-defence')) && !(await has('#defence-stage'))) {
        defended = a.href;
        break;
      }
    }
    assert.ok(defended, 'an appeal open to a hearing and a defence');
    assert.match(await text(page, '#chamber'), /Montreuil|Bordeaux|Lyon|Nancy|Toulouse/);
    assert.ok((await page.locator('[data-deadline="court_ruling"]').count()) === 1, 'the court deadline is shown');
    await h.check(page, 'appeal');
    await page.fill('#hearing_on', plus(20));
    await page.fill('#notified_on', today());
    await page.selectOption('#hearing_formation', 'panel');
    const refused = await submit(page, page.locator('#step-hearing button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.locator('#hearing_on').getAttribute('aria-invalid'), 'true');
    assert.match(await text(page, "#hearing_on-error"), /30 devant une formation collégiale/);
    await h.check(page, 'hearing-refused');
    await page.fill('#hearing_on', plus(35));
    await submit(page, page.locator('#step-hearing button[type=submit]'));
    assert.equal(done(page), 'hearing');
    assert.match(await text(page, '#hearing'), new RegExp(plus(35)));
  });

  step('the hearing is in the calendar', async () => {
    await open(page, `/appeals?from=${today()}&until=${plus(40)}`);
    const links = await page.locator('#hearings a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.includes(defended), 'the hearing is listed');
    await h.check(page, 'calendar');
  });

  step('the defence is written from the decision, then left for a second reading', async () => {
    await open(page, defended);
    const outline = await page.locator('#text').inputValue();
    assert.match(outline, /MÉMOIRE EN DÉFENSE/, 'the outline is drawn from the decision');
    await page.fill('#text', '   ');
    const refused = await submit(page, page.locator('#step-defence button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.locator('#text').getAttribute('aria-invalid'), 'true');
    await page.fill('#text', `${outline}\nLe requérant ne produit aucun élément nouveau.`);
    await submit(page, page.locator('#step-defence button[type=submit]'));
    assert.equal(done(page), 'defence');
    assert.equal(await page.locator('#step-review').count(), 1, 'a review is offered to consultants');
    await h.check(page, 'defence-drafted');
    await signOut(page);
  });

  step('a second consultant approves it; its author sends it', async () => {
    await signIn(page, 'jur.haddad');
    await open(page, defended);
    await submit(page, page.locator('#step-review button[type=submit]'));
    assert.equal(done(page), 'review');
    await signOut(page);
    await signIn(page, 'jur.fontana');
    await open(page, defended);
    await submit(page, page.locator('#step-send button[type=submit]'));
    assert.equal(done(page), 'send');
    assert.match(await text(page, '#defence-stage'), /Envoyé/);
    await h.check(page, 'defence-sent');
  });

  step('the ruling on an appeal already heard makes the decision final', async () => {
    const heard = (await appeals(page)).find((a) => a.href !== defended && (a.hearing === '—' || a.hearing <= today()));
    assert.ok(heard, 'an appeal ready for its ruling');
    await open(page, heard.href);
    await page.fill('#ruled_on', today());
    await page.selectOption('#outcome', 'appeal_rejected');
    await submit(page, page.locator('#step-ruling button[type=submit]'));
    assert.equal(done(page), 'ruling');
    assert.match(await text(page, '#status'), /Définitive|Final/i);
    assert.equal(await page.locator('#step-cassation').count(), 1, 'the Conseil d\'État is offered');
    assert.equal(await page.locator('[data-deadline="cassation"]').count(), 1);
    await h.check(page, 'ruled');
    await signOut(page);
  });

  step('an officer has no appeals list', async () => {
    await signIn(page, 'opi.karimi');
    const denied = await open(page, '/appeals');
    assert.equal(denied.status(), 403);
    await signOut(page);
  });
});
