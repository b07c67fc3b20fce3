//! The bookings a case holds in the planning register (the officer's half-day, the room, the
//! interpreter), apart from the planning workspace so that the case's own acts (an excused
//! absence) free them without depending on the planning pages' module.

use nansen_domain::planning::{CalendarCommand, InterpreterCommand, PlanningCommand, RoomCommand};
use time::Date;

use crate::{Office, OfficeError};

/// What an excused absence known before the day frees: the officer's half-day, the room and
/// the interpreter booked for the case's interview on `on`. Nothing on the day or after (the
/// interpreter came: the half-day is billed).
pub(crate) async fn releases_for(
    office: &Office,
    case: &nansen_domain::lifecycle::Case,
    on: Date,
) -> Result<Vec<PlanningCommand>, OfficeError> {
    let Some(officer) = case.officer.clone() else { return Ok(Vec::new()) };
    if on <= office.today() {
        return Ok(Vec::new());
    }
    let store = office.store();
    let calendar = store.calendar(&officer).await?;
    let Some(half_day) =
        calendar.bookings.iter().find(|(h, cases)| h.date == on && cases.contains(&case.number)).map(|(h, _)| *h)
    else {
        return Ok(Vec::new());
    };
    let number = case.number;
    let mut commands =
        vec![PlanningCommand::Calendar { officer, command: CalendarCommand::Release { half_day, case: number } }];
    for room in store.rooms().await? {
        if let (Some(code), Some(c)) = (room.code.clone(), room.bookings.get(&half_day)) {
            if *c == number {
                commands.push(PlanningCommand::Room { code, command: RoomCommand::Release { half_day, case: number } });
            }
        }
    }
    for interpreter in store.interpreters().await? {
        if let (Some(id), Some(b)) = (interpreter.id.clone(), interpreter.bookings.get(&half_day)) {
            if b.case == number {
                commands.push(PlanningCommand::Interpreter {
                    id,
                    command: InterpreterCommand::Release { half_day, case: number },
                });
            }
        }
    }
    Ok(commands)
}
