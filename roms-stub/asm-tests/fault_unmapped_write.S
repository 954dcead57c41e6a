| Fault: write to an unmapped address.
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    move.l #0x12345678,0x50000010
    rts
