// draft.test.mjs — the ends of a draft and of a pregnancy's log, in a real
// browser (Bokmål), so their pages are among those axe-core and the phone
// width check look at: a teacher creates a pregnancy's log, reads the
// expected date on it and nothing of guardians, then deletes the draft on
// a page of its own and lands on her page, told so; and a link opened
// while logged out returns there after the login. No JavaScript on our pages.
import { randomInt } from 'node:crypto';
import { logIn, syntheticNin } from './helpers.mjs';

export const tests = [
	{
		name: "a teacher creates a pregnancy's log and deletes the draft (Bokmål)",
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Opprett en logg' }).click();
			const family = `Termin-${randomInt(100000, 999999)}`;
			await page.check('#kind-pregnancy');
			await page.fill('#subject_given_name', 'Hanna');
			await page.fill('#subject_family_name', family);
			await page.fill('#subject_nin', syntheticNin(1985, 1999));
			await page.fill('#expected_date', '2027-03-01');
			await page.getByRole('button', { name: 'Opprett loggen' }).click();
			expect.match(await page.textContent('.ds-alert[data-color="success"][role="status"]'), /Loggen er opprettet/, 'told it was created');
			const logId = new URL(page.url()).pathname.split('/')[2];
			const main = await page.textContent('main');
			expect.match(main, /1\. mars 2027/, 'the expected date');
			expect.equal(await page.locator('#guardians-h').count(), 0, 'no guardians on a pregnancy');
			expect.match(main, /Med hennes egne ord/, 'her own words, not a child\'s voice');

			await page.getByRole('link', { name: 'Slett utkastet' }).click();
			expect.match(await page.textContent('main'), new RegExp(`slette utkastet til loggen om Hanna ${family}`), 'what is about to go');
			await page.getByRole('button', { name: 'Slett utkastet' }).click();
			await page.waitForURL(/\/min-side\?lagret=slettet$/);
			expect.match(await page.textContent('.ds-alert[data-color="success"][role="status"]'), /Utkastet er slettet/, 'told it was deleted');
			expect.equal(await page.getByRole('link', { name: `Hanna ${family}` }).count(), 0, 'gone from her page');
			expect.equal(await page.locator(`a[href="/logg/${logId}"]`).count(), 0, 'no link to it either');
		},
	},
	{
		name: 'a link opened while logged out returns there after the login',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Kari Fjelltun']);
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			const logUrl = page.url();
			await page.getByRole('button', { name: 'Logg ut', exact: true }).click();
			await page.context().clearCookies();
			await page.goto(logUrl);
			expect.equal(new URL(page.url()).pathname, '/', 'at the front page to log in');
			await page.locator('#kommune').selectOption('fjordvik');
			await page.getByRole('button', { name: 'Fortsett' }).click();
			await page.getByRole('button', { name: 'Logg inn med ID-porten' }).click();
			await page.getByLabel('Fødselsnummer').fill(people['Kari Fjelltun']);
			await page.getByRole('button', { name: 'Logg inn' }).click();
			await page.waitForURL(logUrl);
			expect.match(await page.textContent('h1'), /Emma Fjelltun/, 'back at the log');
		},
	},
];
