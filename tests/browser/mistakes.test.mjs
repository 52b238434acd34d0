// mistakes.test.mjs — the forms sent with what a hurried person leaves out,
// in a real browser and without our JavaScript: each page comes back with a
// summary of the mistakes at the top that has the focus, a title starting
// "Feil:", and links that lead to the fields. Nothing is saved, so the demo
// stays as it was. The pages reached this way are also checked by pages.mjs
// (axe-core and phone width), with their mistakes showing.
import { logIn } from './helpers.mjs';

async function mistakes(page, expect, what, title = /^Feil: /) {
	expect.match(await page.title(), title, `${what}: the title says there is an error`);
	expect.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary',
		`${what}: the focus is on the summary`);
	const targets = await page.locator('#error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	expect.ok(targets.length > 0, `${what}: the summary lists the mistakes`);
	for (const t of targets)
		expect.equal(await page.locator(t).count(), 1, `${what}: ${t} is on the page`);
}

export const tests = [
	{
		name: 'the holder sends the forms of a log without what they need (Bokmål, then Nynorsk)',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.goto(baseUrl + '/logg/ny');
			await page.getByRole('button', { name: 'Opprett loggen' }).click();
			await mistakes(page, expect, 'a new log');
			expect.match(await page.textContent('#error-summary'), /Skriv fornavnet til barnet/, 'what to do, in words');

			await page.goto(baseUrl + '/min-side');
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			const log = new URL(page.url()).pathname;
			await page.getByRole('button', { name: 'Lagre notat' }).click();
			await mistakes(page, expect, 'a note');

			await page.goto(baseUrl + log + '/rediger');
			await page.getByRole('button', { name: 'Legg til bekymringen' }).click();
			await mistakes(page, expect, 'a concern');

			await page.goto(baseUrl + log);
			await page.getByRole('button', { name: 'Legg til mål' }).first().click();
			await mistakes(page, expect, 'a goal');

			await page.goto(baseUrl + log);
			await page.getByRole('link', { name: /Åpne, endre eller evaluer/ }).first().click();
			await page.getByRole('button', { name: 'Lagre evaluering' }).click();
			await mistakes(page, expect, 'an evaluation');

			await page.goto(baseUrl + log + '/samtykke');
			await page.getByRole('button', { name: 'Registrer samtykket' }).click();
			await mistakes(page, expect, 'a signed consent form');

			await page.goto(baseUrl + log + '/status');
			await page.getByRole('radio', { name: 'Gjør loggen passiv' }).check();
			await page.getByRole('button', { name: 'Fortsett' }).click();
			await mistakes(page, expect, 'making the log passive without a reason');

			// The language changed on a page that came back: on to the form, in Nynorsk.
			await page.goto(baseUrl + log + '/notat');
			await page.getByRole('button', { name: 'Lagre notat' }).click();
			await page.locator('header').getByRole('button', { name: 'Nynorsk' }).click();
			await page.waitForSelector('html[lang=nn]');
			expect.equal(new URL(page.url()).pathname, log + '/notat', 'on the form\'s page');
			await page.getByRole('button', { name: 'Lagre notat' }).click();
			await mistakes(page, expect, 'a note in Nynorsk');
			expect.match(await page.textContent('#error-summary'), /Skriv notatet/, 'in Nynorsk');
			await page.locator('header').getByRole('button', { name: 'Bokmål' }).click();
			await page.waitForSelector('html[lang=nb]');
		},
	},
	{
		name: 'a leader and the administrator send their forms without what they need (Bokmål)',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Sindre Åsheim']);
			await page.getByRole('link', { name: 'Fjordvik skole' }).click();
			await page.getByRole('button', { name: 'Registrer', exact: true }).click();
			await mistakes(page, expect, 'a new staff member');

			await logIn(page, baseUrl, people['Ingrid Solberg']);
			await page.goto(baseUrl + '/admin');
			await page.getByRole('button', { name: 'Opprett enheten' }).click();
			await mistakes(page, expect, 'a new unit');
			await page.goto(baseUrl + '/admin');
			await page.getByRole('button', { name: 'Utnevn lederen' }).click();
			await mistakes(page, expect, 'a new leader');
		},
	},
];
