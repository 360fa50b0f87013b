// schemasync for VS Code: runs `schemasync check` (or diff / push, see the
// schemasync.onSave setting) on save of a schema file -- a *.yaml / *.yml
// under a folder named "schemas" -- and turns its diagnostics,
// "FILE:LINE:COLUMN: error: MESSAGE", into entries of the Problems panel.
'use strict';

const vscode = require('vscode');
const cp = require('child_process');
const fs = require('fs');
const path = require('path');

const DIAG = /^(.+?):(\d+):(\d+): (error|warning|note): (.*)$/;
const SCHEMA_FILE = /[\\/]schemas[\\/](?:.*[\\/])?[^\\/]*\.ya?ml$/;

let diagnostics;
let output;
const running = new Map();	// root -> the command queued behind the run, or null

// The project root: the nearest folder above `file` holding
// schemasync.yaml, else the parent of the nearest "schemas" folder.
function findRoot(file) {
	let schemasParent = null;
	for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, 'schemasync.yaml')))
			return dir;
		if (schemasParent === null && path.basename(dir) === 'schemas')
			schemasParent = path.dirname(dir);
		if (path.dirname(dir) === dir)
			return schemasParent || path.dirname(file);
	}
}

// schemasync's output -> { byFile: Map(absolute file -> [{line, column,
// severity, message}]) with 1-based lines and columns, others: the other
// lines that say "error:" (no database, a folder that cannot be read) }.
function parse(text, root) {
	const byFile = new Map(), others = [];
	for (const line of text.split(/\r?\n/)) {
		const m = DIAG.exec(line);
		if (!m) {
			if (/(^|: )error: /.test(line))
				others.push(line);
			continue;
		}
		const file = path.resolve(root, m[1]);
		if (!byFile.has(file))
			byFile.set(file, []);
		byFile.get(file).push({ line: +m[2], column: +m[3], severity: m[4], message: m[5] });
	}
	return { byFile, others };
}

function toDiagnostic(d) {
	const line = Math.max(d.line - 1, 0), col = Math.max(d.column - 1, 0);
	const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error :
	    d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning :
	    vscode.DiagnosticSeverity.Information;
	// An empty range: the editor underlines the word at that place.
	const diag = new vscode.Diagnostic(new vscode.Range(line, col, line, col),
	    d.message, severity);
	diag.source = 'schemasync';
	return diag;
}

function run(command, file) {
	const root = findRoot(file);
	if (running.has(root)) {	// a save during a run: one more run after it
		running.set(root, command);
		return;
	}
	running.set(root, null);
	const config = vscode.workspace.getConfiguration('schemasync');
	const program = config.get('command', 'schemasync');
	output.appendLine(`$ cd ${root} && ${program} --color never ${command}`);
	cp.execFile(program, ['--color', 'never', command],
	    { cwd: root, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
		const status = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
		output.append(stdout + stderr);
		output.appendLine(`(exit ${status})`);
		const { byFile, others } = parse(stdout + '\n' + stderr, root);
		diagnostics.clear();
		for (const [f, list] of byFile)
			diagnostics.set(vscode.Uri.file(f), list.map(toDiagnostic));
		if (err && err.code === 'ENOENT')
			vscode.window.showErrorMessage(`schemasync: cannot run '${program}'; set schemasync.command`);
		else if (status === 1 || (status === 2 && others.length))
			vscode.window.showErrorMessage(`schemasync ${command}: ${others[0] || 'failed'} (see the schemasync output)`);
		else if (status === 3)
			vscode.window.showWarningMessage(`schemasync: destructive or ambiguous changes held; run 'schemasync push' in a terminal to confirm them`);
		const next = running.get(root);
		running.delete(root);
		if (next)
			run(next, file);
	});
}

function activate(context) {
	diagnostics = vscode.languages.createDiagnosticCollection('schemasync');
	output = vscode.window.createOutputChannel('schemasync');
	context.subscriptions.push(diagnostics, output);

	const current = () => {
		const ed = vscode.window.activeTextEditor;
		if (ed && ed.document.uri.scheme === 'file')
			return ed.document.uri.fsPath;
		const ws = vscode.workspace.workspaceFolders;
		return ws && ws.length ? path.join(ws[0].uri.fsPath, 'schemas', 'x.yaml') : null;
	};
	for (const command of ['check', 'diff', 'push']) {
		context.subscriptions.push(vscode.commands.registerCommand(
		    `schemasync.${command}`, () => {
			const file = current();
			if (file) {
				output.show(true);
				run(command, file);
			}
		}));
	}
	context.subscriptions.push(vscode.workspace.onDidSaveTextDocument(doc => {
		const what = vscode.workspace.getConfiguration('schemasync').get('onSave', 'check');
		if (what !== 'off' && doc.uri.scheme === 'file' && SCHEMA_FILE.test(doc.uri.fsPath))
			run(what, doc.uri.fsPath);
	}));
}

function deactivate() {}

module.exports = { activate, deactivate, parse, findRoot };
