// messages.test.mjs — the messages in a log and the choice of e-mail, in a
// real browser (Bokmål), so their pages are among those axe-core and the
// phone width check look at: a guardian opens the thread from the log page,
// sends an empty message and is told what to write (the summary has the
// focus), then sends one; the holder sees it counted as new on the log page
// and marked New in the thread, and answers; the guardian opens her choice
// of e-mail from her page and saves it. No JavaScript on our pages.
import { randomInt } from 'node:crypto';
import { asPerson, logIn } from './helpers.mjs';

export const tests = [
	{
		name: 'a guardian and the holder write to each other in the log (Bokmål)',
		fn: async ({ page, baseUrl, expect, people }) => {
			const said = `Emma gleder seg til turen på fredag (${randomInt(100000, 999999)}).`;
			await logIn(page, baseUrl, people['Kari Fjelltun']);
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			await page.locator('#messages-link').click();
			expect.match(await page.textContent('h1'), /Meldinger/, 'the thread');
			await page.getByRole('button', { name: 'Send melding' }).click();
			expect.match(await page.title(), /^Feil:/, 'the title says there is a mistake');
			expect.match(await page.textContent('#message-text-error'), /Skriv meldingen\./, 'told what to write');
			expect.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'the summary has the focus');
			await page.fill('#message-text', said);
			await page.getByRole('button', { name: 'Send melding' }).click();
			await page.waitForURL(/\/meldinger\?lagret=melding$/);
			expect.match(await page.textContent('.ds-alert[data-color="success"][role="status"]'), /Meldingen er sendt/, 'told it was sent');
			expect.match(await page.locator('li.message').first().textContent(), new RegExp(said.replace(/[()]/g, '\\$&')), 'hers at the top');

			const holder = await asPerson(page, baseUrl, people['Marte Haugland']);
			try {
				await holder.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
				expect.match(await holder.textContent('#messages-link'), /\(\d+ nye?\)/, 'new messages counted on the log page');
				await holder.locator('#messages-link').click();
				const first = holder.locator('li.message').first();
				expect.match(await first.textContent(), /Ny/, 'marked new to her');
				expect.match(await first.textContent(), /Kari Fjelltun \(foresatt\)/, 'who wrote it, and as what');
				await holder.fill('#message-text', 'Så fint! Husk matpakke.');
				await holder.getByRole('button', { name: 'Send melding' }).click();
				await holder.waitForURL(/\/meldinger\?lagret=melding$/);
			} finally {
				await holder.context().close();
			}

			await page.goto(baseUrl + '/min-side');
			await page.getByRole('link', { name: 'Velg om du vil få e-post' }).click();
			expect.match(await page.textContent('#invitation-always'), /invitasjon/, 'an invitation is always sent');
			await page.getByRole('button', { name: 'Lagre valget' }).click();
			await page.waitForURL(/\/min-side\/varsler\?lagret=varsler$/);
			expect.match(await page.textContent('.ds-alert[data-color="success"][role="status"]'), /Valget ditt om e-post er lagret/, 'told it was saved');
		},
	},
];
