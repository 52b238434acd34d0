// measure.test.mjs — goals, measures, evaluations and glimpses of light in a
// real browser, in Bokmål, on the demo log of Emma Fjelltun: the holder adds
// a goal under a concern and a measure with Nils Dahle of PPT responsible;
// Nils finds it on his page and evaluates it; Kari Fjelltun writes a glimpse
// of light, hostile text showing as text. All without JavaScript on our pages.
import { randomInt } from 'node:crypto';
import { asPerson, logIn } from './helpers.mjs';

export const tests = [
	{
		name: 'the holder adds a goal and a measure, the responsible actor evaluates it, a guardian shares a glimpse of light',
		fn: async ({ page, baseUrl, expect, people }) => {
			const tag = randomInt(100000, 999999);
			const goalText = `Emma leker med to barn om gangen (${tag})`;
			const measureText = `Lekegruppe med én voksen <i>${tag}</i>`;
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			const form = page.locator('form.new-goal').first();
			await form.locator('textarea').fill(goalText);
			await form.getByRole('button', { name: 'Legg til mål' }).click();
			const goalId = new URL(page.url()).hash.replace('#mal-', '');
			expect.match(goalId, /^\d+$/, 'back at the goal');
			expect.match(await page.textContent(`#mal-${goalId}`), new RegExp(`\\(${tag}\\)`), 'the goal shown');
			await page.locator(`#mal-${goalId}`).getByRole('link', { name: 'Endre målet eller legg til tiltak' }).click();

			// A mistake first: no one responsible; the text comes back as typed.
			await page.fill('#description', measureText);
			await page.getByRole('button', { name: 'Legg til tiltak' }).click();
			expect.match(await page.textContent('#responsible-error'), /Velg hvem som har ansvar for tiltaket/, 'message at the field says what to do');
			expect.equal(await page.getAttribute('#responsible', 'aria-invalid'), 'true', 'aria-invalid');
			expect.equal(await page.inputValue('#description'), measureText, 'typed text kept');
			const nils = await page.locator('#responsible option', { hasText: 'Nils Dahle' }).first().getAttribute('value');
			await page.selectOption('#responsible', nils);
			await page.fill('#start_date', '2026-01-05');
			await page.fill('#deadline', '2026-06-19');
			await page.fill('#evaluation_date', '2026-03-02');
			await page.selectOption('#status', 'ongoing');
			await page.getByRole('button', { name: 'Legg til tiltak' }).click();
			const measureId = new URL(page.url()).hash.replace('#tiltak-', '');
			const item = page.locator(`#tiltak-${measureId}`);
			expect.match(await item.textContent(), /Nils Dahle/, 'responsible shown');
			expect.match(await item.textContent(), new RegExp(`<i>${tag}</i>`), 'the markup as text');
			expect.match(await item.textContent(), /Pågår/, 'status shown');

			// Nils finds the measure on his page and evaluates it.
			const nilsPage = await asPerson(page, baseUrl, people['Nils Dahle']);
			await nilsPage.locator('.my-measures a', { hasText: String(tag) }).click();
			await nilsPage.getByLabel('Delvis nådd').check();
			await nilsPage.fill('#eval-text', 'Godt i gang');
			await nilsPage.getByRole('button', { name: 'Lagre evaluering' }).click();
			expect.match(await nilsPage.textContent(`#tiltak-${measureId}`), /Delvis nådd/, 'the latest evaluation');
			expect.equal(await nilsPage.locator('form.new-goal').count(), 0, 'an actor adds no goals');
			await nilsPage.context().close();

			// Kari shares a glimpse of light.
			const kari = await asPerson(page, baseUrl, people['Kari Fjelltun']);
			await kari.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			await kari.fill('#note-text', `Hun lo hele veien hjem "><script>x</script> ${tag}`);
			await kari.getByLabel('Dette er et lysglimt').check();
			await kari.getByRole('button', { name: 'Lagre notat' }).click();
			const note = kari.locator('li.note', { hasText: String(tag) });
			expect.match(await note.textContent(), /Lysglimt/, 'marked in words');
			expect.match(await note.textContent(), /"><script>x<\/script>/, 'hostile text as text');
			await kari.context().close();
		},
	},
];
