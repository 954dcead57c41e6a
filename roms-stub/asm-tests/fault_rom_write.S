| Fault: write into the ROM.
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    move.w #0x4E71,0x10000100
    rts
