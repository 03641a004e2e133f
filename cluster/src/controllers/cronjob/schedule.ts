/** The schedule arithmetic lives in kube/ (the editor's hover reads it too); the CronJob controller uses it from here. */
export * from '../../../../kube/src/cronSchedule.js';
