| Fault: unsigned divide by zero.
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    moveq #100,%d0
    moveq #0,%d1
    divu.w %d1,%d0
    rts
