// calendar.test.mjs — my calendar in a real browser (Bokmål), so its pages
// are among those axe-core and the phone width check look at: the holder
// plans a meeting through the meeting form (cgi-bin/meeting.c), opens her
// calendar from her page, goes to the meeting's month and finds it on its
// day in the month grid, at its Oslo time with the child's name, linked to
// the meeting; then in the list; then she makes a calendar feed and is
// shown its address once. The guardian invited finds it in her calendar
// too. No JavaScript on our pages.
import { randomInt } from 'node:crypto';
import { asPerson, logIn } from './helpers.mjs';

/* A date some weeks ahead, YYYY-MM-DD (a meeting at 09:15 in Oslo is on it). */
function ahead(days) {
	return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

export const tests = [
	{
		name: 'the holder plans a meeting and finds it in her month and her list (Bokmål)',
		fn: async ({ page, baseUrl, expect, people }) => {
			const day = ahead(40 + randomInt(0, 20));
			const month = day.slice(0, 7);
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			await page.locator('#plan-meeting').click();
			await page.fill('#date', day);
			await page.fill('#time', '09:15');
			await page.fill('#length', '60');
			await page.fill('#place', 'Møterom Solsikken');
			await page.getByLabel(/Kari Fjelltun/).check();
			await page.getByRole('button', { name: 'Planlegg møtet og send invitasjonene' }).click();
			await page.waitForURL(/\/logg\/\d+\/mote\/\d+\?lagret=mote$/);
			const [, log, id] = page.url().match(/\/logg\/(\d+)\/mote\/(\d+)/);

			await page.goto(baseUrl + '/min-side');
			await page.locator('#my-calendar a').click();
			await page.waitForURL(/\/kalender$/);
			expect.match(await page.textContent('h1'), /Min kalender/, 'the calendar');
			expect.equal(await page.locator('td[aria-current="date"]').count(), 1, 'today is marked');
			// On to the meeting's month, a month at a time.
			for (let i = 0; i < 4 && !page.url().endsWith(`maaned=${month}`); i++)
				await page.getByRole('link', { name: 'Neste måned' }).click();
			expect.match(page.url(), new RegExp(`maaned=${month}$`), 'the meeting\'s month');
			const item = page.locator(`#dag-${day} #kalender-mote-${id}`);
			expect.match(await item.textContent(), /09\.15–10\.15 Møte/, 'on its day, at its time in Oslo');
			expect.match(await item.textContent(), /Emma Fjelltun/, 'whose log it is');
			expect.equal(await item.locator('a').getAttribute('href'), `/logg/${log}/mote/${id}`, 'linked to the meeting');

			await page.getByRole('link', { name: 'Liste' }).click();
			await page.waitForURL(/visning=liste$/);
			expect.match(await page.locator(`#dag-${day} #kalender-mote-${id}`).textContent(), /Møterom Solsikken/, 'in the list, with its place');

			await page.getByRole('link', { name: 'Måned' }).click();
			const make = page.locator('#feed-new, #feed-renew').first();
			await make.click();
			await page.waitForURL(/\/kalender\?lagret=kalender-(ny|fornyet)#abonnement$/);
			expect.match(await page.inputValue('#feed-url'), /^https?:\/\/[^/]+\/kalender\/[A-Za-z0-9_-]{43}\.ics$/, 'the address, once');
			await page.goto(baseUrl + '/kalender');
			expect.equal(await page.locator('#feed-url').count(), 0, 'not shown again');

			const kari = await asPerson(page, baseUrl, people['Kari Fjelltun']);
			try {
				await kari.goto(baseUrl + `/kalender?maaned=${month}`);
				expect.match(await kari.locator(`#dag-${day} #kalender-mote-${id}`).textContent(), /09\.15/, 'the guardian invited sees it too');
			} finally {
				await kari.context().close();
			}
		},
	},
];
