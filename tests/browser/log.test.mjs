// log.test.mjs — a log from its creation in a real browser, in Bokmål: a
// cleared kindergarten teacher creates a log for a child with two guardians
// (a mistyped number first, coming back at its field with everything typed
// kept), writes the basic data, the BTI level and the child's own voice,
// adds a concern with development areas, and reads the history; hostile
// text shows as text. All without JavaScript on our pages.
import { randomInt } from 'node:crypto';
import { logIn, syntheticNin } from './helpers.mjs';

export const tests = [
	{
		name: 'a teacher creates a log, writes the basic data and a concern (Bokmål)',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Opprett en logg' }).click();
			const family = `Nettleser-${randomInt(100000, 999999)}`;
			await page.fill('#subject_given_name', '<b>Ella</b>');
			await page.fill('#subject_family_name', family);
			await page.fill('#subject_nin', syntheticNin());
			await page.fill('#g1_given_name', 'Mona');
			await page.fill('#g1_family_name', family);
			await page.fill('#g1_nin', '12345678901');
			await page.fill('#g2_given_name', 'Tor');
			await page.fill('#g2_family_name', family);
			await page.fill('#g2_nin', syntheticNin());
			await page.getByRole('button', { name: 'Opprett loggen' }).click();
			expect.match(await page.textContent('#g1_nin-error'), /Fødselsnummeret er ikke gyldig/, 'message at the field');
			expect.equal(await page.getAttribute('#g1_nin', 'aria-invalid'), 'true', 'aria-invalid');
			expect.equal(await page.inputValue('#g2_given_name'), 'Tor', 'typed name kept');
			expect.equal(await page.inputValue('#subject_given_name'), '<b>Ella</b>', 'typed text kept as typed');

			await page.fill('#g1_nin', syntheticNin());
			await page.getByRole('button', { name: 'Opprett loggen' }).click();
			expect.match(await page.textContent('h1'), new RegExp(`<b>Ella</b> ${family}`), 'the log, the name as text');
			expect.match(await page.textContent('main'), /Utkast/, 'a draft');

			await page.getByRole('link', { name: 'Rediger loggen og bekymringene' }).click();
			await page.getByLabel(/Nivå 2/).check();
			await page.fill('#child_voice', 'Jeg liker å bygge med klosser 😀');
			await page.getByRole('button', { name: 'Lagre grunnopplysningene' }).click();
			expect.match(await page.textContent('#bti'), /Nivå 2/, 'the BTI level');
			expect.match(await page.textContent('#child-voice'), /klosser 😀/, "the child's voice");

			await page.getByRole('link', { name: 'Rediger loggen og bekymringene' }).click();
			await page.fill('#title-new', 'Språket kommer sakte');
			await page.locator('#concern-new').getByLabel('Språk og kommunikasjon').check();
			await page.getByRole('button', { name: 'Legg til bekymringen' }).click();
			const concern = page.locator('article.concern').filter({ hasText: 'Språket kommer sakte' });
			expect.match(await concern.textContent(), /Språk og kommunikasjon/, 'the area with the concern');

			await page.getByRole('link', { name: 'Se historikken' }).click();
			const main = await page.textContent('main');
			expect.match(main, /barnets egen stemme/, 'the change in the history, in words');
			expect.match(main, /Språket kommer sakte/, 'the concern in the history');
		},
	},
];
