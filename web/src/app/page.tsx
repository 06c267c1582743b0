export default function Page() {
  return <h1>reVo</h1>;
}
