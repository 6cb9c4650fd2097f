import electron = require('electron');
import type { ContractClient } from '../../shared/contract';

// The bridge the page sees: one named function per contract operation and nothing generic, so
// the page can't name an arbitrary channel. `satisfies` makes a missing or extra operation a
// compile error. Sandboxed preloads can only require('electron'), hence no runtime imports.
const { contextBridge, ipcRenderer } = electron;

const dsrDesk = {
  getStoreStatus: (input) => ipcRenderer.invoke('dsr:getStoreStatus', input),
  getDeskMode: (input) => ipcRenderer.invoke('dsr:getDeskMode', input),
  enterSandbox: (input) => ipcRenderer.invoke('dsr:enterSandbox', input),
  leaveSandbox: (input) => ipcRenderer.invoke('dsr:leaveSandbox', input),
  getSettings: (input) => ipcRenderer.invoke('dsr:getSettings', input),
  updateSettings: (input) => ipcRenderer.invoke('dsr:updateSettings', input),
  connectZoom: (input) => ipcRenderer.invoke('dsr:connectZoom', input),
  getZoomConnection: (input) => ipcRenderer.invoke('dsr:getZoomConnection', input),
  getLiveStatus: (input) => ipcRenderer.invoke('dsr:getLiveStatus', input),
  syncZoom: (input) => ipcRenderer.invoke('dsr:syncZoom', input),
  startSync: (input) => ipcRenderer.invoke('dsr:startSync', input),
  cancelSync: (input) => ipcRenderer.invoke('dsr:cancelSync', input),
  getSyncStatus: (input) => ipcRenderer.invoke('dsr:getSyncStatus', input),
  listChanges: (input) => ipcRenderer.invoke('dsr:listChanges', input),
  findSubject: (input) => ipcRenderer.invoke('dsr:findSubject', input),
  listWebinars: (input) => ipcRenderer.invoke('dsr:listWebinars', input),
  getMirrorOverview: (input) => ipcRenderer.invoke('dsr:getMirrorOverview', input),
  listRegistrants: (input) => ipcRenderer.invoke('dsr:listRegistrants', input),
  getRegistrantTimeline: (input) => ipcRenderer.invoke('dsr:getRegistrantTimeline', input),
  createRequest: (input) => ipcRenderer.invoke('dsr:createRequest', input),
  listRequests: (input) => ipcRenderer.invoke('dsr:listRequests', input),
  findOpenRequests: (input) => ipcRenderer.invoke('dsr:findOpenRequests', input),
  getRequest: (input) => ipcRenderer.invoke('dsr:getRequest', input),
  verifyIdentity: (input) => ipcRenderer.invoke('dsr:verifyIdentity', input),
  approveRequest: (input) => ipcRenderer.invoke('dsr:approveRequest', input),
  refuseRequest: (input) => ipcRenderer.invoke('dsr:refuseRequest', input),
  extendRequest: (input) => ipcRenderer.invoke('dsr:extendRequest', input),
  holdRequest: (input) => ipcRenderer.invoke('dsr:holdRequest', input),
  resumeRequest: (input) => ipcRenderer.invoke('dsr:resumeRequest', input),
  rectifyRequest: (input) => ipcRenderer.invoke('dsr:rectifyRequest', input),
  planJob: (input) => ipcRenderer.invoke('dsr:planJob', input),
  runJob: (input) => ipcRenderer.invoke('dsr:runJob', input),
  startJob: (input) => ipcRenderer.invoke('dsr:startJob', input),
  getJobStatus: (input) => ipcRenderer.invoke('dsr:getJobStatus', input),
  cancelJob: (input) => ipcRenderer.invoke('dsr:cancelJob', input),
  listProcessorTasks: (input) => ipcRenderer.invoke('dsr:listProcessorTasks', input),
  updateProcessorTask: (input) => ipcRenderer.invoke('dsr:updateProcessorTask', input),
  writeEvidence: (input) => ipcRenderer.invoke('dsr:writeEvidence', input),
  writeReplyLetter: (input) => ipcRenderer.invoke('dsr:writeReplyLetter', input),
  writeProcessorRequest: (input) => ipcRenderer.invoke('dsr:writeProcessorRequest', input),
  writeSubjectPackage: (input) => ipcRenderer.invoke('dsr:writeSubjectPackage', input),
  writeReport: (input) => ipcRenderer.invoke('dsr:writeReport', input),
  subjectHash: (input) => ipcRenderer.invoke('dsr:subjectHash', input),
  createRecoveryKey: (input) => ipcRenderer.invoke('dsr:createRecoveryKey', input),
  getRecoveryKey: (input) => ipcRenderer.invoke('dsr:getRecoveryKey', input),
  writeBackup: (input) => ipcRenderer.invoke('dsr:writeBackup', input),
  verifyBackup: (input) => ipcRenderer.invoke('dsr:verifyBackup', input),
  runAutoBackup: (input) => ipcRenderer.invoke('dsr:runAutoBackup', input),
  getBackupStatus: (input) => ipcRenderer.invoke('dsr:getBackupStatus', input),
  unlockStore: (input) => ipcRenderer.invoke('dsr:unlockStore', input),
  listAudit: (input) => ipcRenderer.invoke('dsr:listAudit', input),
  verifyAudit: (input) => ipcRenderer.invoke('dsr:verifyAudit', input),
} satisfies ContractClient;

contextBridge.exposeInMainWorld('dsrDesk', dsrDesk);
