//! The first application of the stub ROM: exercises a few traps through the guest SDK, greets
//! on the console, then runs the event loop until `appStopEvent`. The emulator's headless boot
//! treats the first `EvtGetEvent` as "booted".
#![no_std]

use guest_sdk::traps::{EvtGetEvent, FtrGet, MemSet, SysRandom, SysTicksPerSecond, TimGetTicks};
use guest_sdk::{println, read_u16, read_u32, read_u8, scratch_area, write_u32, GuestAddr};

/// `sysFtrCreator` ('psys') and `sysFtrNumROMVersion`.
const SYS_FTR_CREATOR: u32 = u32::from_be_bytes(*b"psys");
const SYS_FTR_NUM_ROM_VERSION: u16 = 1;
/// `appStopEvent` (`eType` of EventType).
const APP_STOP_EVENT: u16 = 22;
/// `sizeof(EventType)` on PalmOS 3.x/4.x.
const EVENT_SIZE: u32 = 24;
/// `evtWaitForever`.
const EVT_WAIT_FOREVER: i32 = -1;

guest_sdk::entry!(app_main);

/// Guest buffers, all in the program's scratch area (real guest memory).
struct Buffers {
    ftr_value: GuestAddr,
    block: GuestAddr,
    event: GuestAddr,
}

const BLOCK_LEN: u32 = 64;

fn buffers() -> Buffers {
    let (base, len) = scratch_area();
    assert!(len >= 16 + BLOCK_LEN + EVENT_SIZE, "scratch area too small");
    Buffers {
        ftr_value: base,
        block: base.add(16),
        event: base.add(16 + BLOCK_LEN),
    }
}

/// The application's main function; returns the exit code.
pub fn app_main() -> u32 {
    let b = buffers();

    write_u32(b.ftr_value, 0);
    let err = FtrGet(SYS_FTR_CREATOR, SYS_FTR_NUM_ROM_VERSION, b.ftr_value);
    let rom = read_u32(b.ftr_value);
    println!("first-app: FtrGet(psys, ROMVersion) err={err:#06X} rom={rom:#010X}");

    println!("first-app: SysTicksPerSecond={}", SysTicksPerSecond());
    println!("first-app: TimGetTicks={}", TimGetTicks());
    let r1 = SysRandom(1);
    let r2 = SysRandom(0);
    println!("first-app: SysRandom(1)={r1} SysRandom(0)={r2}");

    let err = MemSet(b.block, BLOCK_LEN as i32, 0xA5);
    let ok = (0..BLOCK_LEN).all(|i| read_u8(b.block.add(i)) == 0xA5);
    println!(
        "first-app: MemSet err={err} block {}",
        if ok { "ok" } else { "WRONG" }
    );

    println!("Hello from the first 68k app (Rust -> wasm2c -> GCC m68k)!");

    loop {
        EvtGetEvent(b.event, EVT_WAIT_FOREVER);
        if read_u16(b.event) == APP_STOP_EVENT {
            break;
        }
    }
    println!("first-app: appStopEvent, bye");
    if ok {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use guest_sdk::native::{with_host, FlatHost};

    #[test]
    fn runs_natively_until_app_stop() {
        let mut h = FlatHost::new(0x0010_0000, 0x1_0000);
        h.events_before_stop = 3;
        let code = with_host(&mut h, super::app_main);
        assert_eq!(code, 0);
        let text = h.console_text();
        assert!(text.contains("rom=0x03503000"), "{text}");
        assert!(text.contains("MemSet err=0 block ok"), "{text}");
        assert!(text.contains("Hello from the first 68k app"), "{text}");
        assert!(text.ends_with("appStopEvent, bye\n"), "{text}");
        // 3 nilEvents, then appStopEvent.
        assert_eq!(h.trap_log.iter().filter(|&&w| w == 0xA11D).count(), 4);
    }
}
