| Benchmark: create and write 2000 records, then read them back 4 times (see the .inc file).
#define READ_PASSES 4
#include "bench_dm_records.inc"
