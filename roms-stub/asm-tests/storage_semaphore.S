| MemSemaphoreReserve(true) lifts the storage heap's write protection, MemSemaphoreRelease(true)
| restores it: the first direct write to storage RAM succeeds, the second faults.
| Built by scripts/build-guest.sh, linked with the stub ROM boot code, run by tests/.
    .text
    .globl guest_main
guest_main:
    move.w #1,-(%sp)               | Boolean writeAccess = true
    trap #15
    .word 0xA03C                   | MemSemaphoreReserve
    addq.l #2,%sp
    move.l #0xC0FFEE00,0x01800000  | allowed while reserved
    move.w #1,-(%sp)
    trap #15
    .word 0xA03D                   | MemSemaphoreRelease
    addq.l #2,%sp
    .globl second_write
second_write:
    move.l #0xBAD0BAD0,0x01800004  | faults: protection is back
    moveq #0,%d0
    rts
