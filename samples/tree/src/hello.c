#include <stdio.h>
int main(void) { puts("hello from the disc"); return 0; }
