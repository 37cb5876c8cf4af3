int f(int a) { return a ? (a + 1 : ; }
struct { int x[; } y = { .x = 1 };
void g() { for (;;) { if (a) break; } while (1) }
