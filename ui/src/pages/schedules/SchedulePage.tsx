import { Link, useNavigate, useParams } from "react-router";
import { useDeleteSchedule, useSchedule, type Schedule } from "../../api/schedules";
import { CodeBlock } from "../../components/CodeBlock";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { DetailTitle } from "../../components/PageTitle";
import { ErrorMessage, Loading } from "../../components/Status";
import { toYaml } from "../../components/yaml";
import { EnabledBadge, FireResult, ScheduleButtons, useScheduleActions } from "./ScheduleActions";
import { formatInZone, timeZoneOf, triggerInWords } from "./trigger";
import "./schedules.css";

const SCHEMA = "https://azuremlschemas.azureedge.net/latest/schedule.schema.json";

/** The schedule as the YAML `modelyard schedule create -f` takes. */
export function scheduleYaml(schedule: Schedule): string {
  const { name, display_name, description, tags, trigger, create_job, create_monitor, on_job_error } = schedule;
  return toYaml({ $schema: SCHEMA, name, display_name, description, tags: Object.keys(tags ?? {}).length ? tags : null, trigger, create_job, create_monitor, on_job_error });
}

/** /schedules/:name — the schedule's trigger, next fire times, YAML and the jobs it fired. */
export default function SchedulePage() {
  const { name = "" } = useParams();
  const schedule = useSchedule(name);
  const actions = useScheduleActions();
  const remove = useDeleteSchedule();
  const navigate = useNavigate();
  return (
    <section>
      <DetailTitle list={{ to: "/schedules", label: "Schedules" }} name={name} badge={schedule.data && <EnabledBadge schedule={schedule.data} />}>
        {schedule.data && (
          <div className="actions">
            <ScheduleButtons schedule={schedule.data} actions={actions} />
            <ConfirmButton label="Delete" question={`Delete schedule ${name}? The jobs it started are kept.`} onConfirm={() => remove.mutate(name, { onSuccess: () => navigate("/schedules") })} />
          </div>
        )}
      </DetailTitle>
      <ErrorMessage error={schedule.error ?? actions.error ?? remove.error} />
      <FireResult fire={actions.trigger.data} />
      {schedule.isPending && <Loading />}
      {schedule.data && <ScheduleDetails schedule={schedule.data} />}
    </section>
  );
}

function ScheduleDetails({ schedule }: { schedule: Schedule }) {
  const fires = schedule.last_fires ?? [];
  return (
    <>
      <dl className="details" data-testid="schedule-details">
        <dt>Trigger</dt>
        <dd>{triggerInWords(schedule.trigger)}</dd>
        <dt>Time zone</dt>
        <dd>{timeZoneOf(schedule.trigger)}</dd>
        <dt>Next fire times</dt>
        <dd>{schedule.next_fire_times?.length ? schedule.next_fire_times.map((t) => formatInZone(t, timeZoneOf(schedule.trigger))).join(" · ") : "none (disabled or ended)"}</dd>
        {schedule.disabled_reason && (
          <>
            <dt>Disabled because</dt>
            <dd>{schedule.disabled_reason}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{formatDate(schedule.created_at)}</dd>
      </dl>
      <h2>Fired jobs</h2>
      {fires.length === 0 ? (
        <p className="muted">Not fired yet.</p>
      ) : (
        <DataTable caption="Fires, latest first" columns={["Fired at", "For tick", "Job", "Error"]} className="table fires" testId="schedule-fires">
          {fires.map((fire, i) => (
            <tr key={`${fire.fired_at}-${i}`}>
              <td className="nowrap">{formatDate(fire.fired_at)}</td>
              <td className="nowrap">
                {fire.manual ? "triggered by hand" : formatDate(fire.scheduled_for)}
                {fire.missed ? <span className="muted"> (covers {fire.missed} missed)</span> : null}
              </td>
              <td>{fire.job ? <Link to={`/jobs/${encodeURIComponent(fire.job)}`}>{fire.job}</Link> : "—"}</td>
              <td>{fire.error ? <span className="error-inline">{fire.error}</span> : ""}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>YAML</h2>
      <CodeBlock code={scheduleYaml(schedule)} label="schedule.yml" />
    </>
  );
}
