| Fault: a trap the shim does not implement (SndPlaySmf, 0xA2AD).
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    clr.l -(%sp)
    trap #15
    .word 0xA2AD
    addq.l #4,%sp
    rts
