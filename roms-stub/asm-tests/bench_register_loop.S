| Benchmark: a register-only loop, 100,000,000 iterations of 3 instructions
| (ADDQ, SUBQ, BNE): 300,000,002 instructions in all, counted by hand.
    .text
    .globl guest_main
guest_main:
    move.l #100000000,%d0
    moveq #0,%d1
1:  addq.l #3,%d1
    subq.l #1,%d0
    bne.s 1b
    move.l %d1,%d0
    rts
