| Fault: a stray A-line instruction (0xA123 without a TRAP #15 before it).
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    .word 0xA123
    rts
