| Fault: an illegal instruction (ILLEGAL, 0x4AFC).
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    illegal
    rts
