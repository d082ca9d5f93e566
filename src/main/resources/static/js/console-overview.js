// The console overview's charts (docs/console.md#overview): each figure[data-chart] holds its numbers
// as JSON ({minutes: [epoch s], unit, series: [{name, values}]}); the same numbers are in its table,
// which stays for readers without JavaScript. uPlot comes from this server (/webjars), so the page's
// CSP needs nothing beyond script-src 'self'.
(function () {
  'use strict';
  var colours = ['#2f5bd3', '#c4320a', '#067647', '#7839ee', '#b54708', '#0e7090'];

  function draw(figure) {
    var data = JSON.parse(figure.getAttribute('data-chart'));
    var area = figure.querySelector('.chart-area');
    var columns = [data.minutes];
    var series = [{}];
    data.series.forEach(function (s, i) {
      columns.push(s.values);
      series.push({ label: s.name, stroke: colours[i % colours.length], width: 2, points: { show: false } });
    });
    var width = Math.max(240, area.clientWidth || 320);
    var chart = new uPlot({
      width: width,
      height: 150,
      // the page's times are UTC (as every console page and the server's logs), so are the axis'
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      series: series,
      legend: { show: data.series.length > 1 },
      axes: [{}, { size: 50, values: function (u, ticks) {
        return ticks.map(function (v) { return data.unit === 'ms' ? v + ' ms' : v; });
      } }],
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } }
    }, columns, area);
    area.removeAttribute('aria-hidden');
    area.setAttribute('role', 'img');
    area.setAttribute('aria-labelledby', figure.querySelector('figcaption').id);
    window.addEventListener('resize', function () {
      chart.setSize({ width: Math.max(240, area.clientWidth || 320), height: 150 });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (typeof uPlot === 'undefined') {
      return;
    }
    document.querySelectorAll('figure[data-chart]').forEach(draw);
  });
})();
