//! Guest input never panics the host: forms whose structures the guest scribbled over,
//! and traps called with arbitrary arguments, end in results, fatal-error stops or
//! `TrapError`s.

use super::*;

struct Lcg(u32);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        self.0
    }
}

#[test]
fn scribbled_forms_and_wild_arguments_do_not_panic() {
    let words = [
        t::FRM_DRAW_FORM, t::FRM_ERASE_FORM, t::FRM_HANDLE_EVENT, t::FRM_GET_OBJECT_BOUNDS, t::FRM_GET_OBJECT_ID, t::FRM_HIDE_OBJECT,
        t::FRM_SHOW_OBJECT, t::FRM_SET_FOCUS, t::FRM_COPY_LABEL, t::FRM_COPY_TITLE, t::FRM_GET_CONTROL_GROUP_SELECTION,
        t::FRM_SET_CONTROL_GROUP_SELECTION, t::FRM_POINT_IN_TITLE, t::FRM_GET_OBJECT_INDEX, t::FRM_DISPATCH_EVENT,
        t::CTL_DRAW_CONTROL, t::CTL_SET_VALUE, t::CTL_HIT_CONTROL, t::CTL_HANDLE_EVENT, t::CTL_SET_LABEL, t::CTL_ERASE_CONTROL,
        t::FLD_DRAW_FIELD, t::FLD_INSERT, t::FLD_DELETE, t::FLD_SET_SELECTION, t::FLD_HANDLE_EVENT, t::FLD_SET_TEXT_HANDLE,
        t::FLD_SET_TEXT, t::FLD_RECALCULATE_FIELD, t::FLD_GET_TEXT_HEIGHT, t::FLD_SET_INS_PT_POSITION, t::FLD_FREE_MEMORY,
        t::LST_DRAW_LIST, t::LST_SET_SELECTION, t::LST_SCROLL_LIST, t::LST_MAKE_ITEM_VISIBLE, t::LST_HANDLE_EVENT,
        t::LST_SET_TOP_ITEM, t::LST_GET_SELECTION_TEXT, t::LST_SET_HEIGHT, t::FRM_NEW_LABEL, t::CTL_NEW_CONTROL,
    ];
    let mut rng = Lcg(7);
    let (mut completed, mut refused) = (0, 0);
    for round in 0..48 {
        let mut r = rig(vec![]);
        let form = shown_form(&mut r);
        let size = r.shim.memory().ptr_info(&r.mem, form).unwrap().data_size;
        let objects: Vec<u32> = super::super::objects(&r.mem, form).unwrap().iter().map(|o| o.ptr).collect();
        // Scribble over the form (not its window header, which the Window Manager owns).
        for _ in 0..(round % 6) * 4 {
            let at = WindowType::LEN + rng.next() % (size - WindowType::LEN);
            r.mem.write_u8(form + at, rng.next() as u8).unwrap();
        }
        put_str(&mut r, TEXT, "scribble");
        r.mem.write_u32(OUT, form).unwrap();
        for _ in 0..60 {
            let word = words[rng.next() as usize % words.len()];
            let target = match rng.next() % 4 {
                0 => form,
                1 => objects[rng.next() as usize % objects.len()],
                2 => rng.next() % 0x0200_0000,
                _ => rng.next(),
            };
            let mut e = EventType::new([PEN_DOWN_EVENT, KEY_DOWN_EVENT, CTL_ENTER_EVENT, LST_ENTER_EVENT, FLD_ENTER_EVENT, FRM_OPEN_EVENT][rng.next() as usize % 6]);
            e.screen_x = (rng.next() % 200) as i16 - 20;
            e.screen_y = (rng.next() % 200) as i16 - 20;
            e.data = [rng.next() as u8; 16];
            e.set_u32(event_data::ctl_enter::P_CONTROL, objects[rng.next() as usize % objects.len()]);
            write_event(&mut r, &e);
            let first = if word == t::FRM_NEW_LABEL || word == t::CTL_NEW_CONTROL { OUT } else { target };
            let args = [L(first), W(rng.next() as u16 % 16), L(if rng.next() & 1 == 0 { TEXT } else { EV }), W(rng.next() as u16), W(rng.next() as u16), W(rng.next() as u16), W(3), W(0), W(0), W(0)];
            let args = if word == t::FRM_HANDLE_EVENT || word == t::CTL_HANDLE_EVENT || word == t::FLD_HANDLE_EVENT || word == t::LST_HANDLE_EVENT {
                vec![L(first), L(EV)]
            } else if word == t::FRM_DISPATCH_EVENT {
                vec![L(EV)]
            } else {
                args.into_iter().collect()
            };
            match r.call(word, &args) {
                Ok(TrapOutcome::Continue) => completed += 1,
                _ => refused += 1,
            }
            if r.shim.pending_guest_calls() > 0 {
                // A handler address came out of the scribbles: the guest "returns" false.
                let at = 0x7000;
                r.mem.write_u16(at, palm_abi::host::HOST_CALLBACK_RETURN).unwrap();
                r.regs.a[7] = at;
                r.regs.d[0] = 0;
                let _ = r.shim.dispatch(t::HOST_CONTROL, &mut r.regs, &mut r.mem, at);
            }
            r.shim.pen_up(0, 0);
        }
    }
    assert!(completed > 500 && refused > 100, "both kinds of outcome were exercised: {completed} completed, {refused} refused");
}
