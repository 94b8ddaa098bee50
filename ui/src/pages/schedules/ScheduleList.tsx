import { Link } from "react-router";
import { useDeleteSchedule, useSchedules } from "../../api/schedules";
import { ConfirmDelete, useDeleteConfirmation } from "../../components/ConfirmDelete";
import { ACTIONS_COLUMN, DataTable } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { EnabledBadge, FireResult, ScheduleButtons, useScheduleActions } from "./ScheduleActions";
import { formatInZone, timeZoneOf, triggerInWords } from "./trigger";
import "./schedules.css";

/** /schedules — every schedule with its trigger, next fires and last job; trigger, enable/disable and delete in place. */
export default function ScheduleList() {
  const schedules = useSchedules();
  const actions = useScheduleActions();
  const remove = useDeleteSchedule();
  const confirmation = useDeleteConfirmation(remove);
  return (
    <section>
      <PageTitle title="Schedules" />
      <FireResult fire={actions.trigger.data} />
      <QueryState
        query={schedules}
        error={actions.error ?? remove.error}
        empty={
          <>
            No schedules yet. Create one from Azure ML's schedule YAML: <code>modelyard schedule create -f nightly.yml</code>.
          </>
        }
      >
        {(items) => (
          <DataTable caption="Schedules" columns={["Name", "Trigger", "Time zone", "Next fires", "State", "Last job", ACTIONS_COLUMN]} testId="schedules">
            {items.map((schedule) => {
              const last = schedule.last_fires?.[0];
              return (
                <tr key={schedule.name} data-schedule={schedule.name}>
                  <td>
                    <Link to={`/schedules/${encodeURIComponent(schedule.name)}`}>{schedule.name}</Link>
                    {schedule.display_name && <div className="muted small">{schedule.display_name}</div>}
                  </td>
                  <td>{triggerInWords(schedule.trigger)}</td>
                  <td>{timeZoneOf(schedule.trigger)}</td>
                  <td className="nowrap">
                    {(schedule.next_fire_times ?? []).slice(0, 2).map((t) => (
                      <div key={t}>{formatInZone(t, timeZoneOf(schedule.trigger))}</div>
                    ))}
                    {!schedule.next_fire_times?.length && <span className="muted">—</span>}
                  </td>
                  <td>
                    <EnabledBadge schedule={schedule} />
                  </td>
                  <td>
                    {last?.job ? (
                      <Link to={`/jobs/${encodeURIComponent(last.job)}`}>{last.job}</Link>
                    ) : last?.error ? (
                      <span className="error-inline" title={last.error}>
                        failed to submit
                      </span>
                    ) : (
                      <span className="muted">never fired</span>
                    )}
                  </td>
                  <td className="nowrap">
                    <ScheduleButtons schedule={schedule} actions={actions} />{" "}
                    <ConfirmDelete kind="schedule" name={schedule.name} confirmation={confirmation} busy={remove.isPending} />
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
