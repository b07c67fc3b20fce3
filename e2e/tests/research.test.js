// Research requests in a browser with JavaScript off, on a server started with `--demo`: an
// officer asks from the case page (an empty question refused next to the field, then "already
// answered?" showing the library's passages, then sent); a research assistant takes it, sees the
// question and the facts but never the case number, has a citation of a passage that does not
// exist refused next to the citations, answers with a real passage; a second research assistant
// approves; the officer reads the answer and its research note in the library, and a search they
// saved before counts the note as new since their last visit; their decision draft cites the
// note (a passage that does not exist refused next to the sources). Every page is
// screenshotted (research-NN-name.png) and audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { Harness, open, signIn, signOut, story, submit, text, today } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'research-' });
});
after(async () => {
  await h?.close();
});

function inDays(n) {
  const d = new Date(`${today()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe('research requests', () => {
  const step = story();
  let page;
  let context;
  let number;
  let id;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('the officer finds a case of theirs to ask about', async () => {
    await signIn(page, 'opi.karimi');
    await open(page, '/cases?view=mine');
    const links = await page.locator('main a[href^="/cases/20"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of [...new Set(links)].slice(0, 40)) {
      await open(page, href);
      // A case the officer may ask about and still draft (their decision will cite the answer).
      if ((await page.locator('#ask-research').count()) > 0 && (await page.locator('#sources').count()) > 0) {
        number = href.split('/')[2];
        break;
      }
    }
    assert.ok(number, 'one of the officer\'s cases may be asked about');
    await h.check(page, 'case');
  });

  step('an empty question is refused next to the field', async () => {
    await submit(page, page.locator('#ask-research'));
    assert.equal(new URL(page.url()).pathname, `/cases/${number}/research`);
    await page.fill('#ask-facts', 'The applicant was stopped at a checkpoint near Herat after his return from Iran.');
    await page.fill('#ask-countries', 'AFG');
    await page.fill('#ask-needed_by', inDays(14));
    await page.check('#topic-security\\.checkpoints');
    const refused = await submit(page, page.locator('#send-button'));
    assert.equal(refused.status(), 422);
    assert.ok((await text(page, '#ask-question-error')).length > 0, 'the error is next to the question');
    assert.equal(await page.inputValue('#ask-countries'), 'AFG', 'what was typed is kept');
    await h.check(page, 'ask-refused');
  });

  step('"already answered?" shows what the library says, then the question is sent', async () => {
    await page.fill('#ask-question', 'Are returnees searched at checkpoints around Herat?');
    await submit(page, page.locator('#check-button'));
    assert.ok((await page.locator('#earlier li').count()) >= 1, 'the library has passages on it');
    assert.ok(await page.isChecked('#topic-security\\.checkpoints'), 'the topic stays ticked');
    await h.check(page, 'already-answered');
    await submit(page, page.locator('#send-button'));
    const path = new URL(page.url()).pathname;
    assert.match(path, /^\/research\/requests\/DR-\d{4}-\d{5}$/);
    id = path.split('/')[3];
    assert.match(await text(page, '#request-status'), /queue|attente/i);
    await h.check(page, 'asked');
  });

  step('the officer saves a search of the library to follow what is added', async () => {
    await open(page, '/library?q=checkpoints&countries=AFG');
    await page.fill('#save-name', `Afghanistan checkpoints ${id}`);
    await submit(page, page.locator('#save-button'));
    assert.equal(new URL(page.url()).pathname, '/library');
    const saved = page.locator('#saved-searches li', { hasText: id });
    assert.equal(await saved.count(), 1, 'listed');
    assert.equal(await saved.locator('.saved-new').count(), 0, 'nothing new yet');
    await h.check(page, 'saved-search');
    await signOut(page);
  });

  step('a research assistant takes it, and sees the question but never the case', async () => {
    await signIn(page, 'didr.leroy');
    await open(page, '/research');
    assert.ok((await page.locator(`#to-take tr[data-request="${id}"]`).count()) === 1, 'in the queue');
    await h.check(page, 'queue');
    await submit(page, page.locator(`#to-take a[href="/research/requests/${id}"]`));
    assert.match(await text(page, '#request-question'), /Herat/);
    assert.doesNotMatch(await page.content(), new RegExp(number), 'no case number for research');
    await submit(page, page.locator('#take-button'));
    assert.ok((await page.locator('#answer-form').count()) === 1, 'the answer form');
    const refusedCase = await open(page, `/cases/${number}`);
    assert.equal(refusedCase.status(), 403, 'research never reads the case');
  });

  step('a citation of a passage that does not exist is refused; a real one is accepted', async () => {
    await open(page, '/library?q=checkpoints&countries=AFG&type=report');
    const href = await page.locator('#hits h3 a').first().getAttribute('href');
    const [docPath, anchor] = href.split('#');
    await open(page, docPath);
    const passage = await text(page, `#${anchor} p`);
    const quote = passage.split(' ').slice(0, 6).join(' ');
    const doc = docPath.split('/')[3];
    const n = anchor.slice(1);
    await open(page, `/research/requests/${id}`);
    await page.fill('#answer-text-input', 'The sources report that returnees are searched at checkpoints around Herat.');
    await page.fill('#answer-citations', `${doc}#999 ${quote}`);
    const refused = await submit(page, page.locator('#answer-button'));
    assert.equal(refused.status(), 422);
    assert.match(await text(page, '#answer-citations-error'), /999/);
    await h.check(page, 'citation-refused');
    await page.fill('#answer-citations', `${doc}#${n} ${quote}`);
    await submit(page, page.locator('#answer-button'));
    assert.match(await text(page, '#request-status'), /review|relecture/i);
    assert.equal(await page.locator('#citations li').count(), 1);
    await h.check(page, 'answered');
    await signOut(page);
  });

  step('a second research assistant approves; the answer is published', async () => {
    await signIn(page, 'didr.nguyen');
    await open(page, `/research/requests/${id}`);
    await h.check(page, 'review');
    await submit(page, page.locator('#approve-button'));
    assert.equal(new URL(page.url()).pathname, '/research');
    assert.ok((await page.locator(`#published tr[data-request="${id}"]`).count()) === 1, 'published');
    await signOut(page);
  });

  step('the officer reads the answer and its research note in the library', async () => {
    await signIn(page, 'opi.karimi');
    await open(page, `/cases/${number}`);
    assert.ok((await page.locator(`#research-requests li[data-request="${id}"]`).count()) === 1, 'on the case page');
    await open(page, `/research/requests/${id}`);
    assert.match(await text(page, '#answer-text'), /Herat/);
    await h.check(page, 'published');
    await submit(page, page.locator('#note-link'));
    assert.match(new URL(page.url()).pathname, /^\/library\/documents\/coi-/);
    assert.doesNotMatch(await page.content(), new RegExp(number), 'the note names no case');
    await h.check(page, 'note');
    await open(page, '/library');
    const saved = page.locator('#saved-searches li', { hasText: id });
    assert.match(await saved.locator('.saved-new').textContent(), /1/, 'the note is new since the last visit');
    await submit(page, saved.locator('a'));
    assert.equal(new URL(page.url()).searchParams.get('q'), 'checkpoints');
    await open(page, '/library');
    assert.equal(await page.locator('#saved-searches li', { hasText: id }).locator('.saved-new').count(), 0, 'seen');
  });

  step('the officer\'s draft cites the note; a passage that does not exist is refused next to the sources', async () => {
    await open(page, `/research/requests/${id}`);
    await submit(page, page.locator('#note-link'));
    const note = new URL(page.url()).pathname.split('/')[3];
    const quote = (await text(page, '#p1 p')).split(' ').slice(0, 5).join(' ');
    await open(page, `/cases/${number}`);
    await page.selectOption('#outcome', 'refugee_status');
    await page.check('input[name=ground][value=political_opinion]');
    await page.fill('#facts', 'Les personnes revenues d\'Iran sont fouillées aux points de contrôle autour de Hérat.');
    await page.fill('#law', 'Convention de Genève, article 1er, A, 2.');
    await page.fill('#sources', `${note}#999 ${quote}`);
    const refused = await submit(page, page.locator('#draftform-h ~ form button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.match(await text(page, '#sources-error'), /999/);
    assert.equal(await page.getAttribute('#sources', 'aria-invalid'), 'true');
    assert.match(await page.inputValue('#facts'), /Hérat/, 'what was typed is kept');
    await h.check(page, 'draft-source-refused');
    await page.fill('#sources', `${note}#1 ${quote}`);
    const drafted = await submit(page, page.locator('#draftform-h ~ form button[type=submit]'));
    assert.equal(drafted.status(), 200);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'draft');
    assert.equal(await page.locator('#draft-sources li').count(), 1);
    assert.match(await text(page, '#draft-sources'), new RegExp(quote.split(' ')[0]));
    assert.match(await page.inputValue('#sources'), new RegExp(`${note}#1`), 'the draft form shows its sources again');
    await h.check(page, 'draft-sources');
    await signOut(page);
  });
});
