/* bare.c — the yardstick for `make bench`: the smallest C FastCGI responder
 * (fixed 4 KiB page, no arena, no templates, no database), to compare
 * Stafett's programs against on the same machine. Not part of the product. */
#include <fcgiapp.h>
#include <string.h>

int main(void)
{
	static char page[4096];
	memset(page, 'x', sizeof page);
	static const char head[] = "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
				   "Content-Length: 4096\r\n\r\n";
	FCGX_Request r;
	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(head, (int)sizeof head - 1, r.out);
		FCGX_PutStr(page, (int)sizeof page, r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}
