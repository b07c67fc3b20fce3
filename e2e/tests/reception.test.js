// The reception agency in a browser with JavaScript off, on a server started with `--demo`:
// a reception agent's day at the single window (a household whose ages contradict its links is
// refused next to the field, then one is registered with names in Arabic script, assessed, the
// offer answered and the household placed in a structure of the region); the agency doctor's
// opinion, whose notes the agent never reads; an operator's day (only its own structures, a
// declaration of more people than places refused next to the field, another operator's centre
// refused); a regional director's day (the month already paid refused, the payment file
// downloaded, a reduction of the allowance weighed against the household's vulnerability, the
// week's orientation run with a deadline in the past refused next to the field, a proposal's
// letter downloaded, a contest decided with reasons).
// A protection officer sees nothing of it. Every page is screenshotted (reception-NN-name.png)
// and audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'reception-' });
});
after(async () => {
  await h?.close();
});

const done = (page) => new URL(page.url()).searchParams.get('done');

describe('the reception agency', () => {
  const step = story();
  let page;
  let context;
  let household; // the household registered today
  let structure; // where it was placed

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('a reception agent lands on the region\'s households, under the agency\'s name', async () => {
    await signIn(page, 'ofii.roux');
    assert.equal(new URL(page.url()).pathname, '/reception');
    assert.match(await text(page, 'header .fr-logo'), /immigration/i);
    assert.ok((await page.locator('#households tbody tr').count()) > 0, 'the demo has households in IDF');
    await h.check(page, 'households');
  });

  step('a household whose child is older than its head is refused next to the members', async () => {
    await open(page, '/reception/households/new');
    await page.selectOption('#procedure', 'normal');
    await page.fill('#language', 'ar');
    await page.fill('#address', 'SPADA Paris, 4 rue de la Chapelle, 75018 Paris');
    await page.fill('#member_family_0', 'Haddad');
    await page.fill('#member_given_0', 'Samir');
    await page.fill('#member_family_original_0', 'حداد');
    await page.fill('#member_given_original_0', 'سمير');
    await page.fill('#member_birth_0', '1990-04-12');
    await page.selectOption('#member_sex_0', 'male');
    await page.fill('#member_family_1', 'Haddad');
    await page.fill('#member_given_1', 'Lina');
    await page.fill('#member_birth_1', '1980-01-01');
    await page.selectOption('#member_relationship_1', 'child');
    const refused = await submit(page, page.locator('#register button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#members-error')).length > 0, 'the error is next to the members');
    assert.equal(await page.inputValue('#member_family_original_0'), 'حداد', 'what was typed is kept');
    await h.check(page, 'register-refused');
  });

  step('the household is registered with its names in Arabic script', async () => {
    await page.fill('#member_birth_1', '2019-06-01');
    await page.fill('#member_family_2', 'Haddad');
    await page.fill('#member_given_2', 'Rania');
    await page.fill('#member_family_original_2', 'حداد');
    await page.fill('#member_given_original_2', 'رانيا');
    await page.fill('#member_birth_2', '1993-02-20');
    await page.selectOption('#member_sex_2', 'female');
    await page.selectOption('#member_relationship_2', 'spouse');
    await submit(page, page.locator('#register button[type=submit]'));
    assert.equal(done(page), 'register');
    household = (await text(page, 'h1')).match(/H-\d{4}-\d{6}/)[0];
    assert.match(await text(page, '#members'), /حداد سمير/);
    assert.match(await text(page, '#needs'), /Mineur/, 'a child makes the household vulnerable');
    await h.check(page, 'registered');
  });

  step('the agent assesses the household: a pregnancy goes to the doctor', async () => {
    await page.check('#need-2-pregnancy');
    await page.fill('#assess-notes', 'Arrivée récente, fatigue importante.');
    await submit(page, page.locator('#assess button[type=submit]'));
    assert.equal(done(page), 'assess');
    assert.equal(await page.locator('#awaits-doctor').count(), 1);
    await h.check(page, 'assessed');
  });

  step('the offer is accepted with a request for accommodation, and the household placed', async () => {
    await page.check('#offer-accept');
    await page.check('#offer-needs');
    await submit(page, page.locator('#offer-form button[type=submit]'));
    assert.equal(done(page), 'offer');
    assert.match(await text(page, '#offer'), /acceptée/);
    // A structure of the region with three family places free.
    await open(page, '/reception/network');
    const codes = await page.locator('#structures tbody tr td:first-child a').allTextContents();
    for (const code of codes.slice(0, 40)) {
      await open(page, `/reception/structures/${code.trim()}`);
      const free = Number((await page.locator('#places-family td').nth(2).textContent()).trim());
      const kind = await text(page, 'main dl dd');
      if (free >= 3 && !/CPH/.test(kind)) {
        structure = code.trim();
        break;
      }
    }
    assert.ok(structure, 'a structure of the region has family places free');
    await open(page, `/reception/households/${household}`);
    await page.fill('#arrive-structure', structure);
    await submit(page, page.locator('#arrive button[type=submit]'));
    assert.equal(done(page), 'arrive');
    assert.match(await text(page, '#stays'), new RegExp(structure));
    // From today the household is housed: 6.80 + 2 × 3.40 = 13.60 € a day.
    assert.match(await text(page, '.statement'), /13\.60 €/);
    await h.check(page, 'placed');
    await signOut(page);
  });

  step('the doctor records an opinion that the agent does not read', async () => {
    await signIn(page, 'med.ferreira');
    await open(page, '/reception?filter=doctor');
    assert.ok(await page.locator(`#households a[href="/reception/households/${household}"]`).count(), 'awaits the doctor');
    await open(page, `/reception/households/${household}`);
    const refused = await submit(page, page.locator('#medical-form button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute('#medical-notes-input', 'aria-invalid'), 'true');
    await page.selectOption('#medical-priority', 'follow_up');
    await page.check('#medical-hospital');
    await page.fill('#medical-notes-input', 'Grossesse de 7 mois, suivi en maternité de niveau 3.');
    await submit(page, page.locator('#medical-form button[type=submit]'));
    assert.equal(done(page), 'medical');
    assert.match(await text(page, '#medical-notes'), /maternité/);
    await h.check(page, 'doctor');
    await signOut(page);
    await signIn(page, 'ofii.roux');
    await open(page, `/reception/households/${household}`);
    assert.equal(await page.locator('#medical-notes').count(), 0);
    assert.equal(await page.locator('#medical-hidden').count(), 1);
    assert.doesNotMatch(await page.content(), /maternité/);
    await signOut(page);
  });

  step('an operator sees its own structures and declares their occupancy', async () => {
    await signIn(page, 'gest.adoma');
    assert.equal(new URL(page.url()).pathname, '/reception/network');
    const operators = await page.locator('#structures tbody tr td:nth-child(4)').allTextContents();
    assert.ok(operators.length > 0 && operators.every((o) => o.trim() === 'adoma'), 'only its own structures');
    await h.check(page, 'operator-network');
    const own = (await page.locator('#structures tbody tr td:first-child a').first().textContent()).trim();
    await open(page, `/reception/structures/${own}`);
    await page.fill('#declare-occupied_single', '100000');
    const refused = await submit(page, page.locator('#declare button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute('#declare-occupied_single', 'aria-invalid'), 'true');
    assert.ok((await text(page, '#declare-occupied_single-error')).length > 0);
    await h.check(page, 'declare-refused');
    await page.fill('#declare-occupied_single', '0');
    await open(page, `/reception/structures/${own}`);
    await submit(page, page.locator('#declare button[type=submit]'));
    assert.equal(done(page), 'declare');
    await h.check(page, 'declared');
    // Another operator's centre.
    await signOut(page);
  });

  step('an operator cannot open another operator\'s centre', async () => {
    await signIn(page, 'ofii.roux');
    await open(page, '/reception/network');
    const rows = page.locator('#structures tbody tr');
    let other;
    for (let i = 0; i < (await rows.count()); i += 1) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      if (cells[3].trim() !== 'adoma') {
        other = cells[0].trim();
        break;
      }
    }
    assert.ok(other, 'a structure of another operator');
    await signOut(page);
    await signIn(page, 'gest.adoma');
    const denied = await open(page, `/reception/structures/${other}`);
    assert.equal(denied.status(), 403);
    await signOut(page);
  });

  step('the regional director pays months once and weighs a reduction against vulnerability', async () => {
    await signIn(page, 'dt.moreau');
    await open(page, '/reception/allowance');
    assert.ok((await page.locator('#runs tbody tr').count()) >= 1, 'the demo paid last month');
    const paid = (await page.locator('#runs tbody tr td').first().textContent()).trim();
    const csv = await page.request.get(`/reception/allowance/${paid}.csv`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^record;month;household;foreigner_number;persons;days_paid;amount_cents/);
    await h.check(page, 'allowance');
    await page.fill('#month', paid);
    const refused = await submit(page, page.locator('#run button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute('#month', 'aria-invalid'), 'true');
    await h.check(page, 'allowance-refused');
    await open(page, `/reception/households/${household}`);
    await page.selectOption('#allowance-measure', 'reduce');
    await page.fill('#allowance-percent', '20');
    await page.fill('#allowance-reasons', 'Le foyer ne s\'est pas présenté à deux rendez-vous de suivi sans motif légitime.');
    const unweighed = await submit(page, page.locator('#allowance-form button[type=submit]'));
    assert.equal(unweighed.status(), 422);
    assert.equal(await page.getAttribute('#allowance-vulnerability_weighed', 'aria-invalid'), 'true');
    await h.check(page, 'allowance-unweighed');
    await page.fill('#allowance-vulnerability_weighed', 'Grossesse suivie et enfant de sept ans : réduction limitée, hébergement maintenu.');
    await submit(page, page.locator('#allowance-form button[type=submit]'));
    assert.equal(done(page), 'allowance');
    assert.match(await text(page, '#decisions'), /Réduction \(20 %\)/);
    await h.check(page, 'reduced');
    await signOut(page);
  });

  step('the regional director runs the weekly orientation and decides a contest with reasons', async () => {
    await signIn(page, 'dt.moreau');
    await open(page, '/reception/orientation');
    assert.ok((await page.locator('#above tbody tr').count()) >= 1, 'Île-de-France is above its share');
    assert.ok((await page.locator('#proposals tbody tr').count()) >= 1, 'the demo ran this week\'s plan');
    await h.check(page, 'orientation');
    await page.fill('#run-contest_by', '2000-01-01');
    const refused = await submit(page, page.locator('#run-form button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute('#run-contest_by', 'aria-invalid'), 'true');
    assert.ok((await text(page, '#run-contest_by-error')).length > 0, 'the error is next to the field');
    await h.check(page, 'orientation-refused');
    const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    await page.fill('#run-contest_by', tomorrow);
    const ran = await submit(page, page.locator('#run-form button[type=submit]'));
    assert.equal(ran.status(), 200);
    assert.match(await text(page, '#report-status'), /optimal|écart/);
    await h.check(page, 'orientation-report');
    const contested = page.locator('#proposals tbody tr', { hasText: /contestée/ }).first();
    const link = await contested.locator('a').first().getAttribute('href');
    await open(page, link);
    assert.ok((await page.locator('.reasons li').count()) >= 3, 'the proposal gives its reasons');
    const theirs = await page.locator('.reasons-theirs li').count();
    const interpreter = await page.locator('.reasons-interpreter').count();
    assert.ok(theirs >= 3 || interpreter >= 1, 'and in the household\'s language, or through an interpreter');
    // The proposal's letter, filed with it: a PDF in French with its translation.
    const letter = page.locator('#letters li a', { hasText: /Proposition d'orientation/ }).first();
    const pdf = await page.request.get(await letter.getAttribute('href'));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    await page.check('#decide_contest-reject');
    const short = await submit(page, page.locator('#decide_contest-form button[type=submit]'));
    assert.equal(short.status(), 422);
    assert.equal(await page.getAttribute('#decide_contest-reasons', 'aria-invalid'), 'true');
    await h.check(page, 'contest-refused');
    await page.fill('#decide_contest-reasons', 'Un suivi équivalent est assuré par le CHU de la région d\'accueil, confirmé par le médecin de l\'agence.');
    await submit(page, page.locator('#decide_contest-form button[type=submit]'));
    assert.equal(done(page), 'decide_contest');
    assert.match(await text(page, '.contest-decision'), /rejetée/);
    assert.match(await text(page, '#letters'), /Décision sur la contestation/, 'the decision goes out with its letter');
    await h.check(page, 'contest-decided');
    await signOut(page);
  });

  step('a protection officer sees nothing of the agency', async () => {
    await signIn(page, 'opi.karimi');
    assert.equal((await open(page, `/reception/households/${household}`)).status(), 403);
    assert.equal((await open(page, '/reception')).status(), 403);
    assert.equal((await open(page, `/reception/structures/${structure}`)).status(), 403);
    await signOut(page);
  });
});
