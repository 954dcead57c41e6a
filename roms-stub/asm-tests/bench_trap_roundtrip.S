| Benchmark: 200,000 TRAP #15 calls of a trivial handler (SysTicksPerSecond).
    .text
    .globl guest_main
guest_main:
    move.l #200000,%d2
1:  trap #15
    .word 0xA2E9
    subq.l #1,%d2
    bne.s 1b
    moveq #0,%d0
    rts
