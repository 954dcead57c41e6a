| Fault: direct write to write-protected storage RAM (only DmWrite may write there).
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    move.l #0xDEADBEEF,0x01000100
    rts
