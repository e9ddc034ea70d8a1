// Runs once, when the mongodb-data volume is empty (mongo image's /docker-entrypoint-initdb.d):
// creates the application user with readWrite on the application database only, so the services
// never connect as root, and, when its password is given, the `exporter` user of the monitoring
// profile's mongodb-exporter (clusterMonitor: server and collection statistics, no data). The password comes from a Docker secret (MONGO_APP_PASSWORD_FILE) or, in
// development and testing, from MONGO_APP_PASSWORD.
const fs = require('fs');

function readOptionalSetting(name) {
  const file = process.env[`${name}_FILE`];
  if (file) return fs.readFileSync(file, 'utf8').trim();
  return process.env[name] || undefined;
}

function readSetting(name) {
  const value = readOptionalSetting(name);
  if (!value) throw new Error(`${name} or ${name}_FILE must be set to create the application user`);
  return value;
}

const databaseName = process.env.MONGO_INITDB_DATABASE || 'codiesvibe';
const username = process.env.MONGO_APP_USERNAME || 'codiesvibe';
const password = readSetting('MONGO_APP_PASSWORD');

const appDb = db.getSiblingDB(databaseName);
if (appDb.getUser(username)) {
  print(`init-app-user: user ${username} already exists on ${databaseName}`);
} else {
  appDb.createUser({ user: username, pwd: password, roles: [{ role: 'readWrite', db: databaseName }] });
  print(`init-app-user: created user ${username} with readWrite on ${databaseName}`);
}

const exporterPassword = readOptionalSetting('MONGO_EXPORTER_PASSWORD');
const adminDb = db.getSiblingDB('admin');
if (!exporterPassword) {
  print('init-app-user: no MONGO_EXPORTER_PASSWORD, no exporter user');
} else if (adminDb.getUser('exporter')) {
  print('init-app-user: user exporter already exists on admin');
} else {
  adminDb.createUser({ user: 'exporter', pwd: exporterPassword, roles: [{ role: 'clusterMonitor', db: 'admin' }, { role: 'read', db: 'local' }] });
  print('init-app-user: created user exporter with clusterMonitor');
}
