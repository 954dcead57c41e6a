//! Feature Manager: `FtrGet` over a table of (creator, number) -> value, preloaded with the
//! system features apps query at start-up.

use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::Shim;
use palm_abi::{errors, traps};
use std::collections::BTreeMap;

/// `sysFtrCreator` ('psys').
pub const SYS_FTR_CREATOR: u32 = u32::from_be_bytes(*b"psys");
/// `sysFtrNumROMVersion`.
pub const SYS_FTR_NUM_ROM_VERSION: u16 = 1;
/// `sysFtrNumProcessorID`.
pub const SYS_FTR_NUM_PROCESSOR_ID: u16 = 2;
/// The ROM version we report: `sysMakeROMVersion(4, 0, 0, sysROMStageRelease, 0)`. PalmOS 4.0
/// is the newest 68k-only OS whose API the shim targets.
pub const ROM_VERSION: u32 = 0x0400_3000;
/// `sysFtrNumProcessorVZ`: the DragonBall VZ of PalmOS 4 devices.
pub const PROCESSOR_ID: u32 = 0x0003_0000;

pub fn system_features() -> BTreeMap<(u32, u16), u32> {
    BTreeMap::from([
        ((SYS_FTR_CREATOR, SYS_FTR_NUM_ROM_VERSION), ROM_VERSION),
        ((SYS_FTR_CREATOR, SYS_FTR_NUM_PROCESSOR_ID), PROCESSOR_ID),
    ])
}

pub fn install(t: &mut TrapTable) {
    t.register(traps::FTR_GET, ftr_get);
}

/// `Err FtrGet(UInt32 creator, UInt16 featureNum, UInt32 *valueP)`
fn ftr_get(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (creator, num, value_p) = { let mut a = c.args(); (a.u32()?, a.u16()?, a.ptr()?) };
    match shim.features.get(&(creator, num)) {
        Some(&v) => {
            if value_p != 0 {
                c.mem.write_u32(value_p, v)?;
            }
            c.ret(errors::ERR_NONE as u32);
        }
        None => c.ret(errors::FTR_ERR_NO_SUCH_FEATURE as u32),
    }
    Ok(TrapOutcome::Continue)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Arg::*, Rig};
    use super::*;
    use crate::GuestMemory;

    #[test]
    fn rom_version_and_missing_feature() {
        let mut r = Rig::new();
        r.call(traps::FTR_GET, &[L(SYS_FTR_CREATOR), W(1), L(0x100)]).unwrap();
        assert_eq!(r.d0(), 0);
        assert_eq!(r.mem.read_u32(0x100).unwrap(), ROM_VERSION);
        r.call(traps::FTR_GET, &[L(u32::from_be_bytes(*b"none")), W(7), L(0x100)]).unwrap();
        assert_eq!(r.d0(), errors::FTR_ERR_NO_SUCH_FEATURE as u32);
    }
}
