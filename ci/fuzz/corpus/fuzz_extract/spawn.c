typedef unsigned long pthread_t;
int pthread_create(pthread_t *, const void *, void *(*)(void *), void *);
int accept(int, void *, void *);
struct conn { int fd; void *curl; };
static void *serve(void *arg) { struct conn *c = arg; return c; }
void loop(int lfd)
{
	for (;;) {
		int fd = accept(lfd, 0, 0);
		struct conn *c = 0;
		pthread_t t;
		if (fd < 0)
			continue;
		c->fd = fd;
		pthread_create(&t, 0, serve, c);
	}
}
