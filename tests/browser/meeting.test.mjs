// meeting.test.mjs — planning a meeting in a real browser (Bokmål), so the
// meeting pages are among those axe-core and the phone width check look at:
// the holder opens the form from the log page, sends it empty and is told
// what to fill in (the summary has the focus), then plans a meeting a month
// ahead with the guardian invited; the meeting's page says it is planned and
// when (Oslo time), its minutes page says they come after the meeting, and
// the log page lists it under coming meetings as #meeting-ID (the calendar's
// journey finds it there and in the month view). No JavaScript on our pages.
import { randomInt } from 'node:crypto';
import { logIn } from './helpers.mjs';

/* A date about a month ahead, YYYY-MM-DD, and how the page writes it. */
function ahead(days) {
	const d = new Date(Date.now() + days * 86400000);
	const months = ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september',
		'oktober', 'november', 'desember'];
	const iso = d.toISOString().slice(0, 10);
	return { iso, shown: `${Number(iso.slice(8, 10))}. ${months[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}` };
}

export const tests = [
	{
		name: 'the holder plans a meeting and the log lists it (Bokmål)',
		fn: async ({ page, baseUrl, expect, people }) => {
			const day = ahead(30 + randomInt(0, 20));
			const place = `Møterom ${randomInt(100, 999)}, Solsikken barnehage`;
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			await page.locator('#plan-meeting').click();
			expect.match(await page.textContent('h1'), /Planlegg et møte/, 'the form');
			await page.fill('#length', '');
			await page.getByRole('button', { name: 'Planlegg møtet og send invitasjonene' }).click();
			expect.match(await page.title(), /^Feil:/, 'the title says there is a mistake');
			expect.match(await page.textContent('#date-error'), /Skriv datoen for møtet\./, 'told to write the date');
			expect.match(await page.textContent('#people-error'), /Velg hvem som skal inviteres\./, 'told to choose');
			expect.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'the summary has the focus');
			await page.fill('#date', day.iso);
			await page.fill('#time', '14:30');
			await page.fill('#length', '45');
			await page.fill('#place', place);
			await page.getByLabel(/Kari Fjelltun/).check();
			await page.getByRole('button', { name: 'Planlegg møtet og send invitasjonene' }).click();
			await page.waitForURL(/\/logg\/\d+\/mote\/\d+\?lagret=mote$/);
			const id = page.url().match(/\/mote\/(\d+)/)[1];
			expect.match(await page.textContent('.ds-alert[data-color="success"][role="status"]'), /Møtet er planlagt/, 'told it is planned');
			expect.match(await page.textContent('#meeting-when'), new RegExp(`${day.shown} kl\\. 14\\.30`), 'when, in Oslo time');
			expect.match(await page.textContent('#participants'), /Kari Fjelltun \(foresatt\)/, 'who is invited');

			await page.goto(page.url().replace(/\?.*$/, '') + '/referat');
			expect.match(await page.textContent('#minutes-too-early'), /når møtet har begynt/, 'minutes come after the meeting');

			await page.goto(page.url().replace(/\/mote\/.*$/, ''));
			const item = page.locator(`#meetings-coming #meeting-${id}`);
			expect.match(await item.textContent(), new RegExp(`${day.shown} kl\\. 14\\.30`), 'listed under coming meetings');
		},
	},
];
