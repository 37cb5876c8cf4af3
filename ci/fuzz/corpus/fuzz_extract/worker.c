int stop;
int recv(int, void *, unsigned long, int);
int setsockopt(int, int, int, const void *, unsigned);
__attribute__((annotate("leash:closes:1"))) void q_close(void *q);
__attribute__((annotate("leash:receives:1"))) int q_pop(void *q, void **out);
void *worker(void *q)
{
	void *item;
	while (!stop && q_pop(q, &item) == 0) {
		char buf[64];
		switch ((long)item) {
		case 1: recv(3, buf, sizeof buf, 0); break;
		default: goto out;
		}
	}
out:
	q_close(q);
	return (void *)0;
}
void shutdown_all(void) { stop = 1 | 2 & ~4; }
