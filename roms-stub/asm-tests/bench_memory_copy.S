| Benchmark: copy a 64 KiB block 200 times with MOVE.L (A0)+,(A1)+ / DBRA, 16384 longs
| per pass: 2 instructions per long, 6,553,600 loop instructions plus 6 per pass.
    .text
    .globl guest_main
guest_main:
    move.l #199,%d1
1:  lea 0x180000,%a0
    lea 0x190000,%a1
    move.w #16383,%d0
2:  move.l (%a0)+,(%a1)+
    dbra %d0,2b
    dbra %d1,1b
    moveq #0,%d0
    rts
