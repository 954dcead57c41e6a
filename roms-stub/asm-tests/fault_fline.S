| Fault: an F-line instruction for coprocessor 7 (no such coprocessor).
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    .word 0xFE00
    rts
