| Fault: read from an unmapped address.
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    move.l 0x50000000,%d0
    rts
