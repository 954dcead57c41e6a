| Fault: jump to an odd address.
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    lea odd_target+1,%a0
    jmp (%a0)
odd_target:
    nop
    nop
    rts
