| Benchmark: create and write 2000 records through Data Manager traps (see the .inc file).
#define READ_PASSES 0
#include "bench_dm_records.inc"
