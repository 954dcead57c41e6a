/* Trivial asm test: guest_main returns 42 in D0; boot.S reports it as the exit code. */
        .text
        .globl  guest_main
guest_main:
        moveq   #42, %d0
        rts
