| Fault: a shared-library trap for a library that is not installed (refNum 7).
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    move.w #7,-(%sp)
    trap #15
    .word 0xA805
    addq.l #2,%sp
    rts
